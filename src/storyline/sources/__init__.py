"""Where articles come from beyond local files: web pages, feeds, web archives, a watch loop."""
