"""The toolkit's command-line door: before Hydra starts, check a method's settings (one line
per mistake, no folder made), let `target.<outcome>='>=0.9'` through Hydra's grammar, and
split a design into jobs (`toolkit.job=range(0,K)`) that any Hydra launcher can run."""

from __future__ import annotations

from experiments.toolkit import METHODS, design, problem
from sim.cli_checks import compose_fixed
from sim.config.types import ConfigError

INFO_FLAGS = {
    "-h",
    "--help",
    "--hydra-help",
    "-c",
    "--cfg",
    "-i",
    "--info",
    "-sc",
    "--shell-completion",
}


def method_of(arguments: list[str]) -> str | None:
    for argument in arguments:
        key, _, value = argument.partition("=")
        if key.lstrip("+") == "experiment" and value in METHODS:
            return value
    return None


def _quoted_target(argument: str) -> str:
    """`target.x=>=0.9` (the shell ate the quotes) as `++target.x='>=0.9'`."""
    key, _, value = argument.partition("=")
    if not key.lstrip("+").startswith("target."):
        return argument
    return f"++{key.lstrip('+')}='{value.strip(chr(39) + chr(34))}'"


def _added(argument: str) -> str:
    """A method's setting (`toolkit.`, `problem.`) may be one Hydra's config lacks: let it
    in (`++`), so that the check below names it with the settings allowed there."""
    key = argument.partition("=")[0]
    if "=" in argument and key.lstrip("+").startswith(("toolkit.", "problem.")):
        return f"++{argument.lstrip('+')}"
    return argument


def prepare(arguments: list[str]) -> list[str]:
    """The arguments Hydra should get for a toolkit method (others unchanged); raises
    ConfigError on a bad setting."""
    method = method_of(arguments)
    if method is None:
        return arguments
    arguments = [_added(_quoted_target(a)) for a in arguments]
    tree = compose_fixed(arguments, policy_swept=False)
    if tree is None:
        return arguments  # Hydra will say what is wrong
    if "toolkit" not in tree:
        raise ConfigError(f"experiment={method}: its preset has no toolkit section")
    settings, spec, _ = problem.check(tree)
    given = any(a.partition("=")[0].lstrip("+") == "toolkit.job" for a in arguments)
    if method == "policy_search" or given or INFO_FLAGS & set(arguments):
        return arguments  # nothing to split, or Hydra only shows help or a config
    at = next(i for i, a in enumerate(arguments) if a.partition("=")[0].lstrip("+") == "experiment")
    jobs = f"toolkit.job=range(0,{design.jobs(spec, settings)})"
    return [*arguments[: at + 1], jobs, *arguments[at + 1 :]]  # beside it, not after a flag
