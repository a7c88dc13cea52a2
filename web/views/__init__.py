"""The page views, one module per page or audience. They parse, check access (``web.access``),
read through the domain apps' selectors and snapshots, and call their commands."""
