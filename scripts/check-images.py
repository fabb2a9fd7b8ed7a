#!/usr/bin/env python3
"""Runs each image's entry command from the build output, outside a container (there is no Docker engine here).

For every service of docker-compose.yml (gpu profile included) it takes what the container would run: the
ENTRYPOINT and CMD of its deploy/Dockerfile target (or the service's entrypoint/command), the Dockerfile's ENV
and the service's environment, and runs that same command line on this machine with three rewrites:
  - image paths to the checkout (/opt/streamguard/bin/X -> deploy/bin/X, the lib/ and app dirs the Dockerfile
    COPYs -> the Maven outputs it copies them from; each COPY of the Dockerfile must be in that table),
  - service addresses (kafka:19092, registry:8080, ...) and fixed ports to free local ports,
  - data dirs and bind mounts to a temporary directory or their host source.
Then it runs the service's own healthcheck command, rewritten the same way, until it passes, and for the
one-shot init service waits for exit 0 and the retrainer (no HTTP endpoint) for its READY line. PostgreSQL is
the official postgres:17 image, not ours: Debian's PostgreSQL 15 stands in for it (same command-line settings,
same init script). The GPU image's command runs on the -Pgpu launcher when one was built (launcher/target/gpu/,
`mvn -Pgpu -DskipTests -pl launcher -am package`; the image builds the same), else on the CPU build: without a GPU
here it must come up on the CPU saying why (for the -Pgpu launcher: its CUDA libraries loaded, no device), which
checks its command, its configuration and, with -Pgpu, TensorFlow's CUDA build as far as it goes without a driver.

Usage: mvn -B -DskipTests package (the outputs), then scripts/check-images.py [--keep] (--keep leaves the logs
and data in the temporary directory it names). Exit 0 when every service came up; one line per service.
"""
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DOCKERFILE = os.path.join(ROOT, "deploy", "Dockerfile")

# Image path -> checkout path, for every COPY of deploy/Dockerfile (checked below).
IMAGE_PATHS = {
    "/opt/streamguard/bin/": "deploy/bin/",
    "/opt/streamguard/lib/": "launcher/target/lib/",
    "/opt/streamguard/streamguard-launcher.jar": "launcher/target/streamguard-launcher.jar",
    "/opt/streamguard/kafka/server.properties": "deploy/kafka/server.properties",
    "/opt/streamguard/models/": "models/",
    "/opt/streamguard/connectors/config/": "connectors/config/",
    "/opt/registry/quarkus-app/": "embedded-registry/target/quarkus-app/",
    "/opt/connect/": "embedded-connect/target/connect/",
    "/opt/connect/config/connect-distributed.properties": "connectors/worker/connect-distributed.properties",
}
# The entry scripts' path variables, pointed at the checkout (the image needs none: its defaults are its layout).
LOCAL_LAYOUT = {
    "STREAMGUARD_HOME": ROOT,
    "STREAMGUARD_LAUNCHER_JAR": os.path.join(ROOT, "launcher/target/streamguard-launcher.jar"),
    "STREAMGUARD_LIB": os.path.join(ROOT, "launcher/target/lib"),
    "KAFKA_CONFIG": os.path.join(ROOT, "deploy/kafka/server.properties"),
    "REGISTRY_APP": os.path.join(ROOT, "embedded-registry/target/quarkus-app/quarkus-run.jar"),
    "CONNECT_HOME": os.path.join(ROOT, "embedded-connect/target/connect"),
    "CONNECT_CONFIG": os.path.join(ROOT, "connectors/worker/connect-distributed.properties"),
}
ORDER = ["kafka", "registry", "postgres", "connect", "init", "tokenizer", "inference", "console", "retrainer", "retrainer-zh",
         "inference-gpu"]
STARTUP_TIMEOUT_S = 240
NO_GPU_WARNING = "GPU requested but TensorFlow sees no GPU"
# The -Pgpu launcher (what the streamguard-gpu image holds), if built; its warning names the CUDA build.
GPU_LAUNCHER = os.path.join(ROOT, "launcher/target/gpu")
CUDA_BUILD_WARNING = "TensorFlow's CUDA build, CUDA 12 / cuDNN 9 loaded from the build"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def dockerfile_stages():
    """{target: {"from": base, "entrypoint": [...], "cmd": [...], "env": {...}, "copies": [(src, dest)]}}."""
    stages, current = {}, None
    lines = open(DOCKERFILE).read().replace("\\\n", " ").splitlines()
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        word, _, rest = line.partition(" ")
        word = word.upper()
        if word == "FROM":
            m = re.match(r"(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?", rest, re.I)
            base, name = m.group(1), m.group(2)
            parent = stages.get(base, {})
            current = stages[name] = {"from": base, "entrypoint": parent.get("entrypoint"),
                                      "cmd": parent.get("cmd"), "env": dict(parent.get("env", {})),
                                      "copies": []}
        elif word in ("ENTRYPOINT", "CMD"):
            current[word.lower()] = json.loads(rest)
        elif word == "ENV":
            for k, v in re.findall(r"(\w+)=(\S+)", rest):
                # As Docker does: $VAR / ${VAR} from the stage's ENV so far, else the base image's (here: ours).
                current["env"][k] = re.sub(r"\$\{?(\w+)\}?",
                                           lambda m: current["env"].get(m.group(1), os.environ.get(m.group(1), "")), v)
        elif word == "COPY" and "--from=" not in rest:
            src, dest = rest.split()
            current["copies"].append((src, dest))
    return stages


def check_copies(stages):
    """Every COPY from the build context lands where IMAGE_PATHS says, so the mapping is the image's layout."""
    for name, stage in stages.items():
        for src, dest in stage["copies"]:
            if src == ".":
                continue  # the GPU build stage's sources
            if IMAGE_PATHS.get(dest) != src:
                sys.exit(f"check-images: COPY {src} {dest} (target {name}) is not in IMAGE_PATHS; update it")


def compose_services():
    out = subprocess.run(["docker-compose", "-f", os.path.join(ROOT, "docker-compose.yml"), "--profile", "gpu",
                          "config"], check=True, capture_output=True, text=True, cwd=ROOT).stdout
    import yaml  # Debian's python3-yaml, a dependency of docker-compose
    return yaml.safe_load(out)["services"]


class Rewriter:
    """Container view -> this machine: addresses, ports, image paths, data dirs."""

    def __init__(self, tmp):
        self.ports = {name: free_port() for name in
                      ("kafka", "kafka_external", "controller", "registry", "postgres", "connect", "console")}
        self.tmp = tmp
        self.replacements = [
            ("kafka:19092", f"127.0.0.1:{self.ports['kafka']}"),
            ("localhost:19092", f"127.0.0.1:{self.ports['kafka']}"),
            ("http://registry:8080", f"http://127.0.0.1:{self.ports['registry']}"),
            ("localhost:8080", f"127.0.0.1:{self.ports['registry']}"),
            ("postgres:5432", f"127.0.0.1:{self.ports['postgres']}"),
            ("http://connect:8083", f"http://127.0.0.1:{self.ports['connect']}"),
            ("0.0.0.0:8083", f"127.0.0.1:{self.ports['connect']}"),
            ("localhost:8083", f"127.0.0.1:{self.ports['connect']}"),
        ]
        for image, local in sorted(IMAGE_PATHS.items(), key=lambda kv: -len(kv[0])):
            self.replacements.append((image, os.path.join(ROOT, local)))

    def text(self, value, extra=()):
        value = str(value)
        for a, b in list(extra) + self.replacements:
            value = value.replace(a, b)
        return value


def service_command(name, service, stages):
    target = service.get("build", {}).get("target")
    stage = stages[target]
    entry = service.get("entrypoint") or stage["entrypoint"]
    cmd = service.get("command") if "command" in service else stage["cmd"]
    if isinstance(entry, str):
        entry = shlex.split(entry)
    if isinstance(cmd, str):
        cmd = shlex.split(cmd)
    env = dict(stage["env"])
    env.update({k: "" if v is None else unescape(v) for k, v in (service.get("environment") or {}).items()})
    return [unescape(a) for a in entry + (cmd or [])], env


def unescape(value):
    """`config` prints compose's `$$` (a literal `$` for the container) as it is; the container sees `$`."""
    return str(value).replace("$$", "$")


def local_overrides(name, rw, env, service):
    """Per service: what only differs because several services share one machine (ports, data dirs)."""
    d = os.path.join(rw.tmp, name)
    os.makedirs(d, exist_ok=True)
    extra, more = [], dict(LOCAL_LAYOUT)
    if name == "kafka":
        p = rw.ports
        more.update({
            "KAFKA_CFG_LOG_DIRS": os.path.join(d, "data"),
            "KAFKA_CFG_LISTENERS": f"PLAINTEXT://127.0.0.1:{p['kafka']},EXTERNAL://127.0.0.1:{p['kafka_external']},"
                                   f"CONTROLLER://localhost:{p['controller']}",
            "KAFKA_CFG_CONTROLLER_QUORUM_VOTERS": f"1@localhost:{p['controller']}",
            "KAFKA_EFFECTIVE_CONFIG": os.path.join(d, "server.properties"),
        })
        extra.append(("EXTERNAL://127.0.0.1:9092", f"EXTERNAL://127.0.0.1:{p['kafka_external']}"))
        extra.append(("PLAINTEXT://kafka:19092", f"PLAINTEXT://127.0.0.1:{p['kafka']}"))
    elif name == "registry":
        more.update({"QUARKUS_HTTP_PORT": str(rw.ports["registry"]), "QUARKUS_HTTP_HOST": "127.0.0.1",
                     "QUARKUS_DATASOURCE_JDBC_URL": f"jdbc:h2:file:{d}/registry"})
    elif name == "connect":
        more["CONNECT_EFFECTIVE_CONFIG"] = os.path.join(d, "connect-distributed.properties")
        extra.append(("http://0.0.0.0:8083", f"http://127.0.0.1:{rw.ports['connect']}"))
        more["CONNECT_CFG_REST_ADVERTISED_PORT"] = str(rw.ports["connect"])
        # An image path inside the image's properties file, which this script does not rewrite.
        more["CONNECT_CFG_PLUGIN_PATH"] = rw.text("/opt/connect/plugins")
    elif name in ("tokenizer", "inference", "inference-gpu"):
        port = free_port()
        extra.append(("localhost:9464", f"127.0.0.1:{port}"))
        more["STREAMGUARD_STATE_DIR"] = os.path.join(d, "state")  # one host: replicas must not share it
        env["STREAMGUARD_METRICS_PORT"] = str(port)
    elif name == "console":
        extra.append(("8088", str(rw.ports["console"])))
    for source, target in bind_mounts(service):
        extra.append((target, source))
    return extra, more


def bind_mounts(service):
    """(host source, container target) of each bind mount; compose 1.29 prints them as SOURCE:TARGET[:MODE]."""
    for vol in service.get("volumes") or []:
        if isinstance(vol, dict):
            if vol.get("type") == "bind":
                yield vol["source"], vol["target"]
        else:
            parts = vol.split(":")
            if len(parts) >= 2 and parts[0].startswith("/"):
                yield parts[0], parts[1]


class Runner:
    def __init__(self, keep):
        self.tmp = tempfile.mkdtemp(prefix="streamguard-images.")
        self.keep = keep
        self.procs = []

    def start(self, name, argv, env, log_name=None):
        log = open(os.path.join(self.tmp, (log_name or name) + ".log"), "w")
        proc = subprocess.Popen(argv, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                cwd=os.path.join(self.tmp, name), start_new_session=True)
        self.procs.append((name, proc))
        return proc

    def log(self, name):
        with open(os.path.join(self.tmp, name + ".log")) as f:
            return f.read()

    def stop_all(self):
        for name, proc in reversed(self.procs):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for name, proc in reversed(self.procs):
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
        if not self.keep:
            shutil.rmtree(self.tmp, ignore_errors=True)


def healthy(check, cwd):
    try:
        # The image's paths, mapped: a healthcheck may run an entry script (the broker's runs the CLI).
        return subprocess.run(check, cwd=cwd, env=dict(os.environ, **LOCAL_LAYOUT), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=30).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def await_condition(proc, condition, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        if proc.poll() is not None:
            return False
        time.sleep(1)
    return False


def start_postgres(runner, rw, service):
    """Debian's PostgreSQL 15 in place of the postgres:17 image: same settings, user, database, init script."""
    pg_bin = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
    bin_dir = f"/usr/lib/postgresql/{pg_bin}/bin"
    d = os.path.join(runner.tmp, "postgres")
    os.makedirs(d, exist_ok=True)
    data = os.path.join(d, "data")
    env = service["environment"]
    as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    pwfile = os.path.join(d, "pw")
    with open(pwfile, "w") as f:
        f.write(env["POSTGRES_PASSWORD"])
    if as_user:
        subprocess.run(["chown", "-R", "postgres", d], check=True)
        os.chmod(runner.tmp, 0o755)
    subprocess.run(as_user + [f"{bin_dir}/initdb", "-D", data, "-U", env["POSTGRES_USER"], "--pwfile", pwfile,
                              "-A", "scram-sha-256"], check=True, stdout=subprocess.DEVNULL)
    args = service["command"][1:]  # the image's `postgres` + settings
    proc = runner.start("postgres", as_user + [f"{bin_dir}/postgres", "-D", data, "-p", str(rw.ports["postgres"]),
                                               "-k", d, "-c", "listen_addresses=127.0.0.1"] + args, os.environ.copy())
    ok = await_condition(proc, lambda: healthy([f"{bin_dir}/pg_isready", "-h", "127.0.0.1", "-p",
                                                str(rw.ports["postgres"])], d), 60)
    if not ok:
        return False
    pg_env = dict(os.environ, PGPASSWORD=env["POSTGRES_PASSWORD"])
    url = ["-h", "127.0.0.1", "-p", str(rw.ports["postgres"]), "-U", env["POSTGRES_USER"]]
    subprocess.run([f"{bin_dir}/createdb"] + url + [env["POSTGRES_DB"]], check=True, env=pg_env)
    for source, target in bind_mounts(service):
        if target.startswith("/docker-entrypoint-initdb.d/"):
            subprocess.run([f"{bin_dir}/psql", "-q", "-v", "ON_ERROR_STOP=1"] + url + ["-d", env["POSTGRES_DB"],
                                                                                        "-f", source],
                           check=True, env=pg_env)
    return True


def main():
    keep = "--keep" in sys.argv
    stages = dockerfile_stages()
    check_copies(stages)
    services = compose_services()
    missing = [n for n in services if n not in ORDER]
    if missing:
        sys.exit(f"check-images: services without a check: {missing}")
    runner = Runner(keep)
    rw = Rewriter(runner.tmp)
    failures = []
    try:
        for name in ORDER:
            service = services[name]
            t0 = time.monotonic()
            if name == "postgres":
                ok = start_postgres(runner, rw, service)
                report(name, ok, "pg_isready, init script applied", t0)
                failures += [] if ok else [name]
                if not ok:
                    break
                continue
            argv, env = service_command(name, service, stages)
            extra, more = local_overrides(name, rw, env, service)
            argv = [rw.text(a, extra) for a in argv]
            local_env = dict(os.environ)
            local_env.pop("JAVA_TOOL_OPTIONS", None)
            local_env.update({k: rw.text(v, extra) for k, v in env.items()})
            local_env.update(more)
            gpu_launcher = name == "inference-gpu" and os.path.isdir(os.path.join(GPU_LAUNCHER, "lib"))
            if gpu_launcher:
                local_env.update(STREAMGUARD_LAUNCHER_JAR=os.path.join(GPU_LAUNCHER, "streamguard-launcher.jar"),
                                 STREAMGUARD_LIB=os.path.join(GPU_LAUNCHER, "lib"))
            proc = runner.start(name, argv, local_env)
            check = service.get("healthcheck", {}).get("test")
            if name == "init":
                try:
                    ok = proc.wait(STARTUP_TIMEOUT_S) == 0
                except subprocess.TimeoutExpired:
                    ok = False
                detail = f"exit {proc.returncode}: topics created, BACKWARD set, connectors applied"
            elif name == "inference-gpu":
                # No GPU here: the worker says why and runs on the CPU (its --device gpu behaviour everywhere).
                test = [rw.text(a, extra) for a in check[1:]]
                warning = CUDA_BUILD_WARNING if gpu_launcher else NO_GPU_WARNING
                ok = await_condition(proc, lambda: healthy(test, os.path.join(runner.tmp, name)),
                                     STARTUP_TIMEOUT_S) and warning in runner.log(name)
                detail = ("healthcheck " + " ".join(test) + (", -Pgpu launcher" if gpu_launcher else ", CPU build")
                          + ", on the CPU: '" + warning + "'")
            elif name in ("retrainer", "retrainer-zh"):
                ok = await_condition(proc, lambda: "RETRAINER READY" in runner.log(name), STARTUP_TIMEOUT_S)
                detail = "RETRAINER READY (no healthcheck: no HTTP endpoint)"
            else:
                test = [rw.text(a, extra) for a in check[1:]]
                ok = await_condition(proc, lambda: healthy(test, os.path.join(runner.tmp, name)),
                                     STARTUP_TIMEOUT_S)
                detail = "healthcheck " + " ".join(test)
            report(name, ok, detail, t0)
            if not ok:
                failures.append(name)
                print(f"--- last lines of {name}'s log ({runner.tmp}/{name}.log):")
                print("\n".join(runner.log(name).splitlines()[-25:]))
                if name in ("kafka", "registry", "connect", "init"):
                    break  # everything after needs it
        if not failures:
            t0 = time.monotonic()
            ok, detail = label_one_event(rw)
            report("(pipeline)", ok, detail, t0)
            failures += [] if ok else ["an event through tokenizer and inference"]
            t0 = time.monotonic()
            ok, detail = connectors_running(rw)
            report("(connectors)", ok, detail, t0)
            failures += [] if ok else ["the connectors init applied"]
    finally:
        runner.stop_all()
    print("check-images: " + ("all services came up" if not failures else "FAILED: " + ", ".join(failures)))
    return 1 if failures else 0


def label_one_event(rw):
    """One event through the tokenizer and inference services just started, read back from text-labeled."""
    cli = [os.path.join(ROOT, "deploy/bin/streamguard")]
    env = dict(os.environ, **LOCAL_LAYOUT, STREAMGUARD_BOOTSTRAP=rw.text("kafka:19092"),
               STREAMGUARD_REGISTRY_URL=rw.text("http://registry:8080/apis/ccompat/v7"))
    event = json.dumps({"id": "check-images-1", "text": "you are a wonderful person"})
    produced = subprocess.run(cli + ["produce", "--topic", "text-events", "-"], input=event + "\n", env=env,
                              capture_output=True, text=True, timeout=120)
    if produced.returncode != 0:
        return False, "produce failed: " + produced.stderr[-300:]
    try:
        consumed = subprocess.run(cli + ["consume", "--topic", "text-labeled", "--key", "check-images-1", "--max",
                                         "1"], env=env, capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "no labeled event within 120 s"
    fields = dict(re.findall(r'"(decision|workerId|modelVersion)"\s*:\s*"([^"]*)"', consumed.stdout))
    ok = consumed.returncode == 0 and "decision" in fields
    return ok, ("labeled " + str(fields)) if ok else consumed.stdout[-300:] + consumed.stderr[-300:]


def connectors_running(rw):
    """The connectors init applied, and their tasks, RUNNING on the connect service (`connectors status`)."""
    cli = [os.path.join(ROOT, "deploy/bin/streamguard"), "connectors", "status", "--connect",
           rw.text("http://connect:8083")]
    expected = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(ROOT, "connectors/config"))
                      if f.endswith(".json"))
    out = ""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        out = subprocess.run(cli, env=dict(os.environ, **LOCAL_LAYOUT), capture_output=True, text=True,
                             timeout=60).stdout
        states = dict(re.findall(r"^(\S+) (\w+)$", out, re.M))
        tasks = re.findall(r"^  task \d+ (\w+)", out, re.M)
        if sorted(states) == expected and set(states.values()) == {"RUNNING"} and tasks and set(tasks) == {
                "RUNNING"}:
            return True, f"{', '.join(expected)} RUNNING with {len(tasks)} tasks"
        time.sleep(2)
    return False, out[-500:]


def report(name, ok, detail, t0):
    print(f"{'OK  ' if ok else 'FAIL'} {name:14} {time.monotonic() - t0:5.1f} s  {detail}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
