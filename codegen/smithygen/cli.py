"""The ``smithygen`` command: ``ast``, ``generate`` and ``idl`` subcommands.

Every failure the user can cause (bad model, bad option) ends as lines on
stderr and exit status 1, never as a traceback. Subcommand modules are
imported lazily so that ``smithygen ast`` does not pay for the generator.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from smithygen import __version__
from smithygen.errors import SmithygenError


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="smithygen",
        description="Smithy IDL loader and typed async Python client generator.",
    )
    parser.add_argument(
        "--version", action="version", version=f"smithygen {__version__}"
    )
    commands = parser.add_subparsers(dest="command", required=True)

    ast = commands.add_parser(
        "ast", help="print the merged Smithy JSON AST of IDL and JSON AST files"
    )
    ast.add_argument("files", nargs="+", type=Path, metavar="FILE")

    generate = commands.add_parser(
        "generate",
        help="generate an installable project holding a typed async client package",
    )
    generate.add_argument("files", nargs="+", type=Path, metavar="MODEL_FILE")
    generate.add_argument("--service", required=True, metavar="SHAPE_ID")
    generate.add_argument("--package", required=True, metavar="NAME")
    generate.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar="DIR",
        help="project folder: pyproject.toml, README.md, LICENSE and DIR/NAME/",
    )
    generate.add_argument(
        "--distribution",
        metavar="NAME",
        help="distribution name (default: the package name with '-' for '_')",
    )
    generate.add_argument(
        "--version",
        default="0.1.0",
        metavar="VERSION",
        help="the project's version (PEP 440; default 0.1.0)",
    )
    generate.add_argument(
        "--docs-url", metavar="URL", help="API reference the README links to"
    )
    generate.add_argument(
        "--operations",
        metavar="A,B,...",
        help="generate only the closure of these operations (shape names)",
    )

    idl = commands.add_parser("idl", help="write a model as Smithy IDL 2.0")
    idl.add_argument("files", nargs="+", type=Path, metavar="FILE")
    idl.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help="write one .smithy file per namespace here (default: stdout)",
    )
    return parser


def _run(args: argparse.Namespace) -> None:
    if args.command == "ast":
        from smithygen.idl import dumps_ast, load_files

        sys.stdout.write(dumps_ast(load_files(args.files)) + "\n")
    elif args.command == "generate":
        from smithygen.generate import generate

        operations = (
            [name.strip() for name in args.operations.split(",") if name.strip()]
            if args.operations
            else None
        )
        generate(
            args.files,
            service=args.service,
            package=args.package,
            out=args.out,
            operations=operations,
            distribution=args.distribution,
            version=args.version,
            docs_url=args.docs_url,
        )
    elif args.command == "idl":
        from smithygen.idl import load_files
        from smithygen.idl.writer import write_idl

        documents = write_idl(load_files(args.files))
        if args.out is None:
            # An IDL file holds one namespace: concatenated, the documents
            # would be one file with a second $version line no loader reads.
            if len(documents) > 1:
                raise SmithygenError(
                    f"the model spans {len(documents)} namespaces "
                    f"({', '.join(documents)}); an IDL file holds one: "
                    "use --out DIR to write one file per namespace"
                )
            sys.stdout.write("".join(documents.values()))
        else:
            args.out.mkdir(parents=True, exist_ok=True)
            for namespace, text in documents.items():
                (args.out / f"{namespace}.smithy").write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    args = _build_parser().parse_args(argv)
    try:
        _run(args)
    except SmithygenError as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        return 1
    except OSError as error:
        print(f"smithygen: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
