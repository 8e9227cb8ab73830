from qala.cli import main

main()
