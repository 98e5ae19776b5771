"""Publishing system for the provincial call guide for international S&T cooperation projects."""
