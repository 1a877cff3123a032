import MPShell
import CReadline
import ArgumentParser
print("mpsh: not built yet")
