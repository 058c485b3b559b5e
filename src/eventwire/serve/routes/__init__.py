"""The API's routes, one module per group; each module's ``*_router``
function builds an ``APIRouter`` from what its routes need (the store
access, the token, limits), passed in explicitly."""
