selec 1

