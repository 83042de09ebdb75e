"""The app's pages; the menu lives in playground/ui/nav.py."""
