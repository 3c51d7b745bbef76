package deploy

import (
	"bufio"
	"bytes"
	"context"
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"policybot/config"
)

// dockerfile is deploy/Dockerfile as instructions: each line joined with its
// continuations, comments dropped.
type dockerfile []string

func readDockerfile(t *testing.T) dockerfile {
	t.Helper()
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	var out dockerfile
	var cur strings.Builder
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if strings.HasPrefix(line, "#") || (line == "" && cur.Len() == 0) {
			continue
		}
		if strings.HasSuffix(line, "\\") {
			cur.WriteString(strings.TrimSuffix(line, "\\") + " ")
			continue
		}
		cur.WriteString(line)
		out = append(out, strings.Join(strings.Fields(cur.String()), " "))
		cur.Reset()
	}
	return out
}

// stage returns the instructions of the last stage.
func (d dockerfile) final() dockerfile {
	last := 0
	for i, in := range d {
		if strings.HasPrefix(in, "FROM ") {
			last = i
		}
	}
	return d[last:]
}

// find returns the instructions starting with prefix.
func (d dockerfile) find(prefix string) []string {
	var out []string
	for _, in := range d {
		if strings.HasPrefix(in, prefix) {
			out = append(out, in)
		}
	}
	return out
}

// buildCommand returns the environment and arguments of the Dockerfile's
// `RUN … go build …` line.
func buildCommand(t *testing.T, d dockerfile) (env, args []string) {
	t.Helper()
	runs := []string{}
	for _, in := range d.find("RUN ") {
		if strings.Contains(in, "go build") {
			runs = append(runs, in)
		}
	}
	if len(runs) != 1 {
		t.Fatalf("got %d RUN lines with go build, want 1: %q", len(runs), runs)
	}
	words := shellWords(strings.TrimPrefix(runs[0], "RUN "))
	for len(words) > 0 && regexp.MustCompile(`^[A-Z_]+=`).MatchString(words[0]) {
		env, words = append(env, words[0]), words[1:]
	}
	if len(words) < 2 || words[0] != "go" || words[1] != "build" {
		t.Fatalf("the build line is not `[VAR=value…] go build …`: %q", runs[0])
	}
	return env, words[2:]
}

// shellWords splits a command line on blanks, honouring double quotes (all
// the Dockerfile's build line uses).
func shellWords(s string) []string {
	var out []string
	var cur strings.Builder
	inQuote, inWord := false, false
	for _, r := range s {
		switch {
		case r == '"':
			inQuote, inWord = !inQuote, true
		case (r == ' ' || r == '\t') && !inQuote:
			if inWord {
				out = append(out, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		out = append(out, cur.String())
	}
	return out
}

func TestDockerfileBuildsStaticAndRunsAsNonrootWithVolumes(t *testing.T) {
	d := readDockerfile(t)
	env, args := buildCommand(t, d)
	if !slices.Contains(env, "CGO_ENABLED=0") {
		t.Errorf("the go build line sets %q, want CGO_ENABLED=0", env)
	}
	if !slices.Contains(args, "./cmd/policybot") {
		t.Errorf("the go build line builds %q, want ./cmd/policybot", args)
	}

	// The builder's Go is the one go.mod asks for.
	mod, err := os.ReadFile("../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go (\d+\.\d+)`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	if from := d.find("FROM golang:"); len(from) != 1 || !strings.HasPrefix(from[0], "FROM golang:"+string(m[1])) {
		t.Errorf("build stage %q, want FROM golang:%s…", from, m[1])
	}

	final := d.final()
	if from := final[0]; from != "FROM gcr.io/distroless/static-debian12:nonroot" && from != "FROM scratch" {
		t.Errorf("final stage %q, want distroless static nonroot or scratch", from)
	}
	users := final.find("USER ")
	if len(users) != 1 {
		t.Fatalf("final stage has %d USER lines, want 1", len(users))
	}
	if u, _, _ := strings.Cut(strings.TrimPrefix(users[0], "USER "), ":"); u == "root" || u == "0" || u == "" {
		t.Errorf("final stage runs as %q, want a non-root user", users[0])
	}
	for _, want := range []string{`VOLUME ["/data/corpus", "/data/index"`, `ENTRYPOINT ["/policybot"]`, `CMD ["bot"]`} {
		if len(final.find(want)) != 1 {
			t.Errorf("final stage has no %s", want)
		}
	}
	for _, want := range []string{"POLICYBOT_CORPUS=/data/corpus", "POLICYBOT_INDEX=/data/index"} {
		found := false
		for _, e := range final.find("ENV ") {
			found = found || strings.Contains(e, want)
		}
		if !found {
			t.Errorf("final stage sets no ENV %s", want)
		}
	}
	// The volumes' folders belong to the nonroot user (65532), so the bot
	// can store uploads in the corpus and write the index.
	if got := final.find("COPY --from=build --chown=65532:65532 /out/data /data"); len(got) != 1 {
		t.Errorf("final stage does not copy /data owned by 65532")
	}
}

// TestBuildIsStatic builds the binary as the Dockerfile does and checks it
// needs no C library: go version -m shows CGO_ENABLED=0 and the ELF file
// has no interpreter and no dynamic section.
func TestBuildIsStatic(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the whole binary")
	}
	env, args := buildCommand(t, readDockerfile(t))
	bin := filepath.Join(t.TempDir(), "policybot")
	for i, a := range args {
		if a == "-o" && i+1 < len(args) {
			args[i+1] = bin
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "go", append([]string{"build"}, args...)...)
	cmd.Dir = ".."
	cmd.Env = append(os.Environ(), env...)
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build %q: %v\n%s", args, err, out)
	}
	t.Logf("built in %s", time.Since(start).Round(time.Millisecond))

	out, err := exec.CommandContext(ctx, "go", "version", "-m", bin).CombinedOutput()
	if err != nil {
		t.Fatalf("go version -m: %v\n%s", err, out)
	}
	if !regexp.MustCompile(`(?m)^\s*build\s+CGO_ENABLED=0$`).Match(out) {
		t.Errorf("go version -m shows no CGO_ENABLED=0:\n%s", out)
	}

	f, err := elf.Open(bin)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			t.Errorf("the binary has a %s program header: it is dynamically linked", p.Type)
		}
	}
	if s := f.Section(".dynamic"); s != nil {
		t.Error("the binary has a .dynamic section")
	}
	if libs, err := f.ImportedLibraries(); err == nil && len(libs) > 0 {
		t.Errorf("the binary needs %q", libs)
	}
}

// exampleConfigs are the files of deploy/config, each for one kind of server.
var exampleConfigs = []string{"llama-server.yaml", "ollama.yaml", "openai.yaml", "vllm.yaml"}

func TestExampleConfigsLoadAndValidate(t *testing.T) {
	files, err := filepath.Glob("config/*")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, filepath.Base(f))
	}
	if !slices.Equal(names, exampleConfigs) {
		t.Errorf("deploy/config holds %q, want %q (each one tested)", names, exampleConfigs)
	}
	for _, name := range exampleConfigs {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join("config", name)
			c, err := config.Load(path)
			if err != nil {
				t.Fatal(err)
			}
			// The key comes only from the variable the file names.
			const key = "sk-from-the-environment"
			named := map[string]string{}
			for _, v := range []string{c.LLM.APIKeyEnv, c.Embed.APIKeyEnv} {
				if v != "" && !strings.HasPrefix(v, "POLICYBOT_") {
					named[v] = key
				}
			}
			c.ApplyEnv(func(k string) string { return named[k] })
			if err := c.Validate(); err != nil {
				t.Fatalf("invalid:\n%v", err)
			}
			if c.Embed.BaseURL == "" || c.LLM.BaseURL == "" {
				t.Errorf("embed.base_url %q, llm.base_url %q: want both set", c.Embed.BaseURL, c.LLM.BaseURL)
			}
			if len(named) > 0 && (c.LLM.APIKey.Reveal() != key || c.Embed.APIKey.Reveal() != key) {
				t.Errorf("the API key named by api_key_env (%v) was not picked up", named)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if regexp.MustCompile(`sk-[A-Za-z0-9]{8,}|\d{6,}:[A-Za-z0-9_-]{20,}`).Match(raw) {
				t.Error("the file seems to hold a key or a bot token")
			}
		})
	}
}

// unitSettings returns the Key=Value lines of a unit file (all values of
// repeated keys).
func unitSettings(t *testing.T, path string) map[string][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			t.Errorf("unit line %q is not Key=Value", line)
			continue
		}
		out[k] = append(out[k], v)
	}
	return out
}

func TestSystemdUnitIsHardenedAndKeepsTheTokenInAnEnvironmentFile(t *testing.T) {
	s := unitSettings(t, "policybot.service")
	for k, want := range map[string]string{
		"EnvironmentFile":       "/etc/policybot/env",
		"Restart":               "on-failure",
		"User":                  "policybot",
		"NoNewPrivileges":       "yes",
		"ProtectSystem":         "strict",
		"ReadWritePaths":        "/var/lib/policybot",
		"PrivateTmp":            "yes",
		"ProtectHome":           "yes",
		"CapabilityBoundingSet": "",
		"ExecStart":             "/usr/local/bin/policybot bot",
	} {
		if got := s[k]; len(got) != 1 || got[0] != want {
			t.Errorf("%s=%q, want %q", k, got, want)
		}
	}
	for _, e := range s["Environment"] {
		if strings.Contains(strings.ToUpper(e), "TOKEN") || strings.Contains(strings.ToUpper(e), "KEY") {
			t.Errorf("Environment=%s: secrets belong in the EnvironmentFile", e)
		}
	}
	// /reload is a Telegram command, not a signal.
	if _, ok := s["ExecReload"]; ok {
		t.Error("ExecReload is set, but the bot maps no signal to a reload")
	}
	// The corpus and index folders the unit names are writable.
	for _, e := range s["Environment"] {
		for _, v := range []string{"POLICYBOT_CORPUS=", "POLICYBOT_INDEX="} {
			if dir, ok := strings.CutPrefix(e, v); ok && !strings.HasPrefix(dir, s["ReadWritePaths"][0]+"/") {
				t.Errorf("%s is outside ReadWritePaths", e)
			}
		}
	}
}

func TestSystemdUnitVerifies(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		t.Skip("systemd-analyze is not installed (apt-get install systemd): the unit file was not verified")
	}
	// verify checks that ExecStart's program exists: point it at one.
	dir := t.TempDir()
	bin := filepath.Join(dir, "policybot")
	if err := os.WriteFile(bin, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("policybot.service")
	if err != nil {
		t.Fatal(err)
	}
	unit := filepath.Join(dir, "policybot.service")
	if err := os.WriteFile(unit, bytes.ReplaceAll(b, []byte("/usr/local/bin/policybot"), []byte(bin)), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, analyze, "verify", "--man=no", unit).CombinedOutput()
	if err != nil {
		t.Fatalf("systemd-analyze verify: %v\n%s", err, out)
	}
	// Warnings do not change the exit status; any about our unit is a failure.
	for _, line := range strings.Split(string(out), "\n") {
		if strings.Contains(line, "policybot.service") {
			t.Errorf("systemd-analyze verify: %s", line)
		}
	}
}
