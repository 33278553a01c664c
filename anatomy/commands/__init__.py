"""One module per ``myoatlas`` subcommand (see ``anatomy.cli``)."""
