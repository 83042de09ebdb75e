"""The setup sidebar in AppTests: a closed section's controls are not drawn, so a test
opens it first, as a person clicks its header."""
from playground.ui.widgets.setup_sections import section_key


def open_section(at, section: str):
    """Open the sidebar section ``section`` ("Data", "Model", "Optimizer", "Training")."""
    at.session_state[section_key(section)] = True
    return at.run()
