#!/usr/bin/env python3
"""Write compile_commands.json (the JSON compilation database clangd and
clang-tidy read) for the kernel's C files, with the exact flags the
Makefile compiles them with: `make compile_commands.json`.

    gen_compile_commands.py --cc gcc --cflags="$(CFLAGS)" --build build FILE.c...

(--cflags=VALUE with the "=": the flags start with a dash.)
"""
import argparse
import json
import os
import shlex
import sys

# Make's dependency-file flags mean nothing to a language server.
DROP = {"-MMD", "-MP"}


def entries(directory, cc, cflags, build, sources):
    flags = [f for f in shlex.split(cflags) if f not in DROP]
    for src in sources:
        obj = os.path.join(build, "obj", os.path.splitext(src)[0] + ".o")
        yield {"directory": directory, "file": src,
               "arguments": [cc] + flags + ["-c", src, "-o", obj]}


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--cc", default="gcc")
    p.add_argument("--cflags", required=True, help="the Makefile's CFLAGS, as one string")
    p.add_argument("--build", default="build")
    p.add_argument("--directory", default=os.getcwd(), help="where the commands run (the tree's top)")
    p.add_argument("sources", nargs="+")
    opts = p.parse_args(argv)
    json.dump(list(entries(opts.directory, opts.cc, opts.cflags, opts.build, sorted(opts.sources))),
              sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
