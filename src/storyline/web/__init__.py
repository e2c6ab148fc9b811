"""The local web app and JSON API (issue 8): `storyline serve`, `create_app(workspace)`."""
