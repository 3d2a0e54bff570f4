"""Running Volière: Django start-up checks, the web server, task workers and their supervisor."""
