"""The pages of the web app, through Django's test client."""
