"""The user's settings: reviewer, database, key map, auto-advance, and where each came from.

Each setting is taken from the first of: a command-line flag, an environment variable, the
config file (TOML), the built-in default. The config file is `$CLAIMDESK_CONFIG`, else
`config.toml` in the platform's config folder (platformdirs; on Linux
`~/.config/claimdesk/config.toml`). Every key is optional:

    reviewer = "maria"
    database = "~/stories/conscription.db"   # relative paths are relative to this file
    auto_advance = false
    [keys]                                   # binding id = key(s), as `review --keys`
    tag-disputed = "D"
    quit = "ctrl+q"

`keys` may also be a string in the `--keys` form ("tag-disputed=D;quit=ctrl+q"). Key bindings
are merged by id: the config file's, then $CLAIMDESK_KEYS', then --keys' (each id from the
last that names it).

A missing file is no error; an unreadable or malformed one, an unknown setting or a value of
the wrong type is a `ConfigError` naming the file and the setting.
"""

from __future__ import annotations

import getpass
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

APP_NAME = "claimdesk"
CONFIG_ENV = "CLAIMDESK_CONFIG"
DEFAULT_DB = "claimdesk.db"
ENV = {
    "reviewer": "CLAIMDESK_REVIEWER",
    "database": "CLAIMDESK_DB",
    "keys": "CLAIMDESK_KEYS",
    "auto_advance": "CLAIMDESK_AUTO_ADVANCE",
}
SETTINGS = tuple(ENV)
FLAG_NAMES = {"reviewer": "--reviewer", "database": "--db", "keys": "--keys", "auto_advance": "--no-advance / --advance"}
TRUE = ("1", "true", "yes", "on")
FALSE = ("0", "false", "no", "off")


class ConfigError(Exception):
    """A setting that cannot be used; str() is one line naming the file or variable."""


@dataclass(frozen=True)
class Value:
    value: Any
    source: str  # "--db", "$CLAIMDESK_DB", "config FILE", "default"


@dataclass
class Settings:
    config_file: Path
    config_found: bool
    values: dict[str, Value] = field(default_factory=dict)
    keys: dict[str, Value] = field(default_factory=dict)  # binding id -> key(s), merged by id

    def __getitem__(self, name: str) -> Any:
        return self.values[name].value

    @property
    def keymap(self) -> dict[str, str]:
        return {ident: v.value for ident, v in self.keys.items()}


def config_path() -> Path:
    given = os.environ.get(CONFIG_ENV)
    if given:
        return Path(given).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME) / "config.toml"


def data_path() -> Path:
    """The user's data folder for claimdesk (the demo database lives here)."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME)


def login_name() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no passwd entry, no LOGNAME: still a name, never a crash
        return f"uid{os.getuid()}"


def parse_keys(text: str, where: str = "--keys") -> dict[str, str]:
    """'a=x;b=y,z' -> {'a': 'x', 'b': 'y,z'} (';' between bindings, ',' between keys of one)."""
    keymap: dict[str, str] = {}
    for item in text.split(";"):
        item = item.strip()
        if not item:
            continue
        ident, sep, keys = item.partition("=")
        if not sep or not ident.strip() or not keys.strip():
            raise ValueError(f"{where}: {item!r} is not ID=KEY (bindings are separated by ';', "
                             "e.g. 'tag-disputed=D;quit=ctrl+q')")
        keymap[ident.strip()] = keys.strip()
    return keymap


def read_config(path: Path) -> dict[str, Any] | None:
    """The parsed config file, None when there is none."""
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        return None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a folder, not a config file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    unknown = sorted(set(data) - set(SETTINGS))
    if unknown:
        raise ConfigError(f"{path}: unknown setting {unknown[0]!r} (known: {', '.join(SETTINGS)})")
    return data


def _from_file(name: str, raw: Any, path: Path) -> Any:
    where = f"{path}: {name}"
    if name == "reviewer":
        if not isinstance(raw, str) or not raw.strip():
            raise ConfigError(f"{where}: must be a non-empty string")
        return raw.strip()
    if name == "database":
        if not isinstance(raw, str) or not raw.strip():
            raise ConfigError(f"{where}: must be a folder path (a string)")
        db = Path(raw).expanduser()
        return db if db.is_absolute() else path.parent / db
    if name == "auto_advance":
        if not isinstance(raw, bool):
            raise ConfigError(f"{where}: must be true or false")
        return raw
    if name == "keys":
        if isinstance(raw, str):
            try:
                return parse_keys(raw, where)
            except ValueError as exc:
                raise ConfigError(str(exc)) from None
        if isinstance(raw, dict) and all(isinstance(k, str) and isinstance(v, str) and v.strip()
                                         for k, v in raw.items()):
            return {k.strip(): v.strip() for k, v in raw.items()}
        raise ConfigError(f"{where}: must be a table of binding id = \"key\" (or an 'ID=KEY;...' string)")
    raise ConfigError(f"{where}: unknown setting")  # pragma: no cover - read_config checked


def _from_env(name: str, raw: str) -> Any:
    var = ENV[name]
    if name == "reviewer":
        return raw.strip()
    if name == "database":
        return Path(raw).expanduser()
    if name == "auto_advance":
        low = raw.strip().lower()
        if low in TRUE:
            return True
        if low in FALSE:
            return False
        raise ConfigError(f"${var}: {raw!r} is not one of {', '.join(TRUE + FALSE)}")
    if name == "keys":
        try:
            return parse_keys(raw, f"${var}")
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
    raise AssertionError(name)  # pragma: no cover


def defaults() -> dict[str, Any]:
    return {"reviewer": login_name(), "database": Path(DEFAULT_DB), "keys": {}, "auto_advance": True}


def load(flags: dict[str, Any] | None = None, *, env: dict[str, str] | None = None) -> Settings:
    """Settings from flags (setting name -> value, None = not given; see FLAG_NAMES),
    the environment, the config file and the defaults."""
    flags = flags or {}
    env = os.environ if env is None else env
    path = config_path()
    data = read_config(path)
    settings = Settings(config_file=path, config_found=data is not None)
    base = defaults()
    file_src = f"config {path}"
    for name in SETTINGS:
        if name == "keys":
            continue
        flag = flags.get(name)
        if flag is not None:
            settings.values[name] = Value(flag, FLAG_NAMES[name])
        elif env.get(ENV[name], "").strip():
            settings.values[name] = Value(_from_env(name, env[ENV[name]]), f"${ENV[name]}")
        elif data is not None and name in data:
            settings.values[name] = Value(_from_file(name, data[name], path), file_src)
        else:
            settings.values[name] = Value(base[name], "default")
    layers: list[tuple[dict[str, str], str]] = []
    if data is not None and "keys" in data:
        layers.append((_from_file("keys", data["keys"], path), file_src))
    if env.get(ENV["keys"], "").strip():
        layers.append((_from_env("keys", env[ENV["keys"]]), f"${ENV['keys']}"))
    if flags.get("keys"):
        layers.append((flags["keys"], FLAG_NAMES["keys"]))
    for keymap, source in layers:
        for ident, keys in keymap.items():
            settings.keys[ident] = Value(keys, source)
    settings.values["keys"] = Value(settings.keymap, ", ".join(dict.fromkeys(s for _, s in layers)) or "default")
    return settings
