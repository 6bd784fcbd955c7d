"""Schedule pages: build, review with a map, edit, publish, the public commitment check, my route."""
