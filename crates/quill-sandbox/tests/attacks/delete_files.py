# Tries to delete, overwrite and create files outside its working directory.
import json, os, shutil, sys

p = json.load(sys.stdin)
attempts = {
    "remove canary": lambda: os.remove(p["canary_file"]),
    "overwrite canary": lambda: open(p["canary_file"], "w").write("gone"),
    "rmtree canary dir": lambda: shutil.rmtree(p["canary_dir"]),
    "create in canary dir": lambda: open(os.path.join(p["canary_dir"], "new"), "w").write("x"),
    "create in /tmp": lambda: open(p["escape_file"], "w").write("x"),
    "create beside the workdir": lambda: open(os.path.join(os.path.dirname(os.getcwd()), p["escape_name"]), "w").write("x"),
    "chmod canary": lambda: os.chmod(p["canary_file"], 0o777),
}
for name, act in attempts.items():
    try:
        act()
        print("ESCAPED:", name)
    except OSError as e:
        print("denied:", name, type(e).__name__)
with open("inside.txt", "w") as f:
    f.write("fine")
print("own dir writable:", open("inside.txt").read() == "fine")
