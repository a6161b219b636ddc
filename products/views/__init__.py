"""Pages of the products app, one module per part of stage 1."""
