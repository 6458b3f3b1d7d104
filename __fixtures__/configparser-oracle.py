"""Python's own answer for a corpus of .osbs-repo-config files, read as atomic-reactor 1.6.26.3's
stop_autorebuild_if_disabled reads one: ConfigParser().read(path) with the locale's encoding (run with
PYTHONUTF8=1, as in a UTF-8 build container), then getboolean('autorebuild', 'enabled').

stdin: a JSON list of {"name", "text"}; argv[1]: an empty folder to write the files in.
stdout: a JSON object, name -> {"read": null | {"type", "lines"}, "get": {"value": bool} | {"error": type}}.
"""
import configparser
import json
import os
import sys

cases = json.load(sys.stdin)
folder = sys.argv[1]
answers = {}
for index, case in enumerate(cases):
    path = os.path.join(folder, str(index))
    with open(path, "wb") as f:
        f.write(case["text"].encode("utf-8", "surrogatepass"))
    cfp = configparser.ConfigParser()
    answer = {"read": None, "get": None}
    try:
        cfp.read(path)
    except configparser.ParsingError as e:  # also MissingSectionHeaderError, a subclass
        lines = [e.lineno] if isinstance(e, configparser.MissingSectionHeaderError) else [n for n, _ in e.errors]
        answer["read"] = {"type": type(e).__name__, "lines": lines}
    except (configparser.DuplicateSectionError, configparser.DuplicateOptionError) as e:
        answer["read"] = {"type": type(e).__name__, "lines": [e.lineno]}
    except (configparser.Error, ValueError) as e:
        answer["read"] = {"type": type(e).__name__, "lines": []}
    if answer["read"] is None:
        try:
            answer["get"] = {"value": cfp.getboolean("autorebuild", "enabled")}
        except (configparser.Error, ValueError) as e:
            answer["get"] = {"error": type(e).__name__}
    answers[case["name"]] = answer
json.dump(answers, sys.stdout)
