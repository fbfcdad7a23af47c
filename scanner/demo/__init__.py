"""The bundled demo portal of a fictional Landkreis, and the server that presents it."""
