package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/patternmatcher"
	"github.com/moby/patternmatcher/ignorefile"
	digest "github.com/opencontainers/go-digest"
)

// offlineImages answers BuildKit's base-image lookups without a registry: every image is a plain
// linux/amd64 image, so the linter runs all its rules (those that need the base image's config too).
type offlineImages struct{}

func (offlineImages) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	cfg, _ := json.Marshal(map[string]any{
		"architecture": "amd64",
		"os":           "linux",
		"config":       map[string]any{"Env": []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"}},
		"rootfs":       map[string]any{"type": "layers", "diff_ids": []string{}},
	})
	return ref, digest.FromBytes(cfg), cfg, nil
}

func checkDockerfile(root, file, ignoreFile string) {
	p := &problems{subject: "dockerfile " + file}
	dt, err := os.ReadFile(file)
	if err != nil {
		p.add("cannot read: %v", err)
		p.exit("")
	}

	// 1. BuildKit's parser and its linter (what `docker build --check` runs), once per APP value.
	for _, app := range appNames() {
		st := llb.Local("context")
		sm := llb.NewSourceMap(&st, file, "Dockerfile", dt)
		sm.Definition = &llb.Definition{}
		res, err := dockerfile2llb.DockerfileLint(context.Background(), dt, dockerfile2llb.ConvertOpt{
			Config:       dockerui.Config{BuildArgs: map[string]string{"APP": app}},
			MainContext:  &st,
			SourceMap:    sm,
			MetaResolver: offlineImages{},
		})
		if err != nil {
			p.add("buildkit (APP=%s): %v", app, err)
			continue
		}
		if res.Error != nil {
			p.add("buildkit (APP=%s): %s", app, res.Error.Message)
		}
		for _, w := range res.Warnings {
			line := 0
			if w.Location != nil && len(w.Location.Ranges) > 0 {
				line = int(w.Location.Ranges[0].Start.Line)
			}
			p.add("lint %s (line %d): %s", w.RuleName, line, w.Detail)
		}
		if len(p.list) > 0 {
			break // the same findings would repeat for every APP
		}
	}

	ast, err := parser.Parse(bytes.NewReader(dt))
	if err != nil {
		p.add("parse: %v", err)
		p.exit("")
	}
	for _, w := range ast.Warnings {
		p.add("parser warning: %s", w.Short)
	}
	stages, metaArgs, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		p.add("instructions: %v", err)
		p.exit("")
	}

	// 2. Shape: the four stages in order, runtime last.
	var names []string
	byName := map[string]*instructions.Stage{}
	for i := range stages {
		names = append(names, stages[i].Name)
		byName[stages[i].Name] = &stages[i]
	}
	for _, want := range []string{"deps", "build", "prod-deps", "runtime"} {
		if byName[want] == nil {
			p.add("no stage named %q (stages: %s)", want, strings.Join(names, ", "))
		}
	}
	if len(stages) < 2 {
		p.add("not a multi-stage build")
	}
	final := &stages[len(stages)-1]
	if final.Name != "runtime" {
		p.add("the last stage must be 'runtime', is %q", final.Name)
	}

	runText := func(s *instructions.Stage) string {
		var b strings.Builder
		if s == nil {
			return ""
		}
		for _, c := range s.Commands {
			if r, ok := c.(*instructions.RunCommand); ok {
				b.WriteString(strings.Join(r.CmdLine, " "))
				b.WriteString("\n")
			}
		}
		return b.String()
	}
	declaresArg := func(s *instructions.Stage, name string) bool {
		for _, c := range s.Commands {
			if a, ok := c.(*instructions.ArgCommand); ok {
				for _, kv := range a.Args {
					if kv.Key == name {
						return true
					}
				}
			}
		}
		return false
	}
	if s := byName["deps"]; s != nil && !regexp.MustCompile(`(?m)\bnpm ci\b`).MatchString(runText(s)) {
		p.add("stage deps does not run `npm ci`")
	}
	if s := byName["prod-deps"]; s != nil && !regexp.MustCompile(`\bnpm ci\b[^\n]*--omit=dev`).MatchString(runText(s)) {
		p.add("stage prod-deps does not run `npm ci --omit=dev`")
	}
	if s := byName["build"]; s != nil {
		text := runText(s)
		if !strings.Contains(text, "node scripts/build.mjs") {
			p.add("stage build does not run `node scripts/build.mjs`")
		}
		if !declaresArg(s, "APP") || !regexp.MustCompile(`\$\{?APP\b`).MatchString(text) {
			p.add("stage build must declare ARG APP and use it (validation of the app name)")
		}
		// The shell `case` arm that accepts APP must list exactly the nine apps.
		var arm []string
		for _, m := range regexp.MustCompile(`(?:^|[\s;])((?:[a-z][a-z0-9-]*\|)+[a-z][a-z0-9-]*)\)`).FindAllStringSubmatch(text, -1) {
			if alts := strings.Split(m[1], "|"); len(alts) > len(arm) {
				arm = alts
			}
		}
		if arm == nil {
			p.add("stage build does not validate APP with a `case \"${APP}\" in app1|app2|...) ;;` arm")
		} else {
			for _, app := range appNames() {
				if !slices.Contains(arm, app) {
					p.add("stage build does not validate APP against %q (accepted: %s)", app, strings.Join(arm, "|"))
				}
			}
			for _, a := range arm {
				if _, ok := appPorts[a]; !ok {
					p.add("stage build accepts APP=%q, which is not an app", a)
				}
			}
		}
	}
	if !declaresArg(final, "APP") {
		p.add("stage runtime must declare ARG APP")
	}

	// 3. The runtime stage: base, user, env, contents, healthcheck, command.
	base := final.BaseName
	for byName[base] != nil { // follow FROM <stage> up to the image
		base = byName[base].BaseName
	}
	base = expandMetaArgs(base, metaArgs)
	if !regexp.MustCompile(`^(docker\.io/(library/)?)?node:20(\.[0-9]+)*-[a-z0-9.-]+(@sha256:[0-9a-f]{64})?$`).MatchString(base) {
		p.add("runtime base image %q is not a pinned node:20 variant (e.g. node:20.20.2-bookworm-slim)", base)
	}
	user, env := "", map[string]string{}
	var health *instructions.HealthCheckCommand
	var cmd *instructions.CmdCommand
	var copyDests []string
	for _, c := range final.Commands {
		switch c := c.(type) {
		case *instructions.UserCommand:
			user = c.User
		case *instructions.EnvCommand:
			for _, kv := range c.Env {
				env[kv.Key] = kv.Value
			}
		case *instructions.HealthCheckCommand:
			health = c
		case *instructions.CmdCommand:
			cmd = c
		case *instructions.EntrypointCommand:
			p.add("runtime: no ENTRYPOINT expected (CMD starts node directly, as PID 1 of its own)")
		case *instructions.RunCommand:
			p.add("runtime: RUN %q adds a layer to the final image; do such work in the build stage", strings.Join(c.CmdLine, " "))
		case *instructions.AddCommand:
			p.add("runtime: use COPY, not ADD")
		case *instructions.CopyCommand:
			copyDests = append(copyDests, path.Clean(path.Join("/app", c.DestPath)))
			for _, src := range c.SourcePaths {
				if !allowedRuntimeCopy(c.From, src) {
					p.add("runtime copies %q (from %q): only dist, production node_modules, package.json and docker/healthcheck.cjs belong in it", src, c.From)
				}
			}
		}
	}
	switch u := strings.SplitN(user, ":", 2)[0]; {
	case user == "":
		p.add("runtime stage has no USER: the app would run as root")
	case u == "root" || u == "0":
		p.add("runtime stage USER is root (%q)", user)
	case !regexp.MustCompile(`^[1-9][0-9]*$`).MatchString(u):
		p.add("runtime USER %q should be numeric so that Kubernetes runAsNonRoot can verify it", user)
	}
	if env["NODE_ENV"] != "production" {
		p.add("runtime stage must set ENV NODE_ENV=production")
	}
	if health == nil || health.Health == nil || len(health.Health.Test) == 0 || health.Health.Test[0] == "NONE" {
		p.add("runtime stage has no HEALTHCHECK")
	} else {
		test := health.Health.Test
		if test[0] == "CMD" {
			checkExecForm(p, "HEALTHCHECK", test[1:])
		}
		joined := strings.Join(test[1:], " ")
		if len(test) < 2 || test[1] != "node" {
			p.add("HEALTHCHECK should run node (its fetch), got %q", joined)
		}
		for _, arg := range test[2:] {
			if strings.HasSuffix(arg, ".cjs") || strings.HasSuffix(arg, ".js") {
				if !slices.Contains(copyDests, path.Clean(path.Join("/app", arg))) {
					p.add("HEALTHCHECK runs %s, which no COPY of the runtime stage puts into the image", arg)
				}
				checkHealthScript(p, filepath.Join(root, arg))
			}
		}
	}
	if cmd == nil {
		p.add("runtime stage has no CMD")
	} else {
		if cmd.PrependShell {
			p.add("CMD must be in exec (JSON) form so that node gets SIGTERM as PID 1")
		} else {
			checkExecForm(p, "CMD", cmd.CmdLine)
		}
		if len(cmd.CmdLine) < 3 || cmd.CmdLine[0] != "node" || !slices.Contains(cmd.CmdLine, "--enable-source-maps") {
			p.add("CMD should be [\"node\", \"--enable-source-maps\", <entry>], got %q", cmd.CmdLine)
		}
	}

	// 4. The build context: what the Dockerfile copies is there and not excluded by .dockerignore.
	checkBuildContext(p, root, ignoreFile, stages)

	// 5. Every app of the repository is one the image can build.
	entries, err := os.ReadDir(filepath.Join(root, "apps"))
	if err != nil {
		p.add("cannot list apps/: %v", err)
	}
	// Tools that run on users' machines, not in the cluster (the command-line client).
	notDeployed := map[string]bool{"cli": true}
	seen := map[string]bool{}
	for _, e := range entries {
		if e.IsDir() && !strings.HasSuffix(e.Name(), "-e2e") && !notDeployed[e.Name()] { // Nx e2e projects are not deployed
			seen[e.Name()] = true
			if _, ok := appPorts[e.Name()]; !ok {
				p.add("apps/%s is not one of the deployed apps: add it to docker/, k8s/ and scripts/validate-deploy", e.Name())
			}
		}
	}
	for _, app := range appNames() {
		if !seen[app] {
			p.add("apps/%s does not exist", app)
		}
	}
	p.exit(fmt.Sprintf("%d stages %s, runtime on %s as USER %s, BuildKit lint clean for %d APP values", len(stages), strings.Join(names, "/"), base, user, len(appPorts)))
}

// checkExecForm: exec-form arguments get no variable expansion at run time (no shell), and
// Dockerfile substitution does not apply to CMD/ENTRYPOINT/HEALTHCHECK: a "$" stays literal.
func checkExecForm(p *problems, what string, args []string) {
	if len(args) > 0 && slices.Contains([]string{"sh", "/bin/sh", "bash", "/bin/bash"}, args[0]) {
		return
	}
	for _, a := range args {
		if strings.Contains(a, "$") {
			p.add("%s exec form %q: %q is passed literally (exec form expands no ARG/ENV)", what, args, a)
		}
	}
}

func allowedRuntimeCopy(from, src string) bool {
	src = strings.TrimPrefix(path.Clean(src), "/")
	switch from {
	case "":
		return src == "package.json" || src == "docker/healthcheck.cjs"
	case "prod-deps":
		return src == "app/node_modules"
	case "build":
		return src == "out/dist" || src == "app/dist" || strings.HasPrefix(src, "app/dist/")
	}
	return false
}

// checkHealthScript: the container healthcheck knows every app's default probe port.
func checkHealthScript(p *problems, file string) {
	src, err := os.ReadFile(file)
	if err != nil {
		p.add("healthcheck script: %v", err)
		return
	}
	for app, port := range appPorts {
		re := regexp.MustCompile(`['"]?` + regexp.QuoteMeta(app) + `['"]?\s*:\s*` + fmt.Sprint(port) + `\b`)
		if !re.Match(src) {
			p.add("%s: no default port %d for %s", filepath.Base(file), port, app)
		}
	}
}

func expandMetaArgs(s string, metaArgs []instructions.ArgCommand) string {
	for _, a := range metaArgs {
		for _, kv := range a.Args {
			if kv.Value != nil {
				s = strings.ReplaceAll(s, "${"+kv.Key+"}", *kv.Value)
				s = strings.ReplaceAll(s, "$"+kv.Key, *kv.Value)
			}
		}
	}
	return s
}

// contextFilter reads a .dockerignore: the returned function tells whether a path (relative to
// the context root) is left out of the build context.
func contextFilter(ignoreFile string) (func(rel string) bool, error) {
	f, err := os.Open(ignoreFile)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	patterns, err := ignorefile.ReadAll(f)
	if err != nil {
		return nil, err
	}
	pm, err := patternmatcher.New(patterns)
	if err != nil {
		return nil, err
	}
	return func(rel string) bool {
		m, _ := pm.MatchesOrParentMatches(filepath.ToSlash(rel))
		return m
	}, nil
}

// listContext prints the files that the build context sends, one per line.
func listContext(root, ignoreFile string) {
	excluded, err := contextFilter(ignoreFile)
	if err != nil {
		fmt.Fprintf(os.Stderr, "deploycheck context: %v\n", err)
		os.Exit(1)
	}
	_ = filepath.WalkDir(root, func(f string, d os.DirEntry, err error) error {
		if err != nil || f == root {
			return err
		}
		rel, _ := filepath.Rel(root, f)
		if d.IsDir() {
			if rel == ".git" || rel == "node_modules" {
				return filepath.SkipDir // excluded either way (checked), and large
			}
			return nil
		}
		if !excluded(rel) {
			fmt.Println(filepath.ToSlash(rel))
		}
		return nil
	})
}

func checkBuildContext(p *problems, root, ignoreFile string, stages []instructions.Stage) {
	excluded, err := contextFilter(ignoreFile)
	if err != nil {
		p.add(".dockerignore: %v", err)
		return
	}
	for _, must := range []string{"node_modules/x/index.js", "dist/apps/gateway/src/main.js", ".data/dev/x", ".nx/cache/x", ".git/HEAD", "apps/gateway/node_modules/x", "docker/.env", "k8s/overlays/production/secrets/infra.env"} {
		if !excluded(must) {
			p.add(".dockerignore does not exclude %s", must)
		}
	}
	for _, st := range stages {
		for _, c := range st.Commands {
			cp, ok := c.(*instructions.CopyCommand)
			if !ok || cp.From != "" {
				continue
			}
			for _, src := range cp.SourcePaths {
				if strings.ContainsAny(src, "$*?[") {
					p.add("COPY %s: keep context sources literal so that they can be checked", src)
					continue
				}
				rel := path.Clean(strings.TrimPrefix(src, "/"))
				abs := filepath.Join(root, rel)
				info, err := os.Stat(abs)
				if err != nil {
					p.add("COPY %s (stage %s): not in the build context: %v", src, st.Name, err)
					continue
				}
				if excluded(rel) {
					p.add("COPY %s (stage %s): excluded by .dockerignore", src, st.Name)
					continue
				}
				if info.IsDir() {
					sent := 0
					_ = filepath.WalkDir(abs, func(f string, d os.DirEntry, err error) error {
						if err == nil && !d.IsDir() {
							r, _ := filepath.Rel(root, f)
							if !excluded(r) {
								sent++
							}
						}
						return nil
					})
					if sent == 0 {
						p.add("COPY %s (stage %s): .dockerignore leaves no file of it in the context", src, st.Name)
					}
				}
			}
		}
	}
}
