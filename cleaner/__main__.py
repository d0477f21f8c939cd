from .cli import main

main(prog_name="corpus-cleaner")
