package main

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
)

// Variables that compose.yml must take from the environment (interpolation), never spell out.
var composeSecrets = map[string][]string{
	"gateway":          {"JWT_SECRET"},
	"user-preferences": {"ADMIN_PASSWORD"},
}

func checkCompose(file string, envList []string) {
	p := &problems{subject: "compose " + file}
	abs, err := filepath.Abs(file)
	if err != nil {
		p.add("%v", err)
		p.exit("")
	}
	dir := filepath.Dir(abs)
	given := map[string]string{}
	for _, kv := range envList {
		k, v, _ := strings.Cut(kv, "=")
		given[k] = v
	}
	// compose-go: YAML + interpolation + the Compose Specification JSON schema + normalization +
	// consistency (unknown services, networks, volumes in references). No .env, no OS environment.
	opts, err := cli.NewProjectOptions([]string{abs},
		cli.WithWorkingDirectory(dir),
		cli.WithEnv(envList),
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		p.add("%v", err)
		p.exit("")
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		p.add("compose-go loader: %v", err)
		p.exit("")
	}

	want := append(appNames(), "mongo", "redis")
	for name := range project.Services {
		if !slices.Contains(want, name) {
			p.add("unexpected service %q", name)
		}
	}
	repoRoot := filepath.Dir(dir)
	pinned := regexp.MustCompile(`^[a-z0-9./-]+:[0-9]+(\.[0-9]+)*(-[a-z0-9.-]+)?(@sha256:[0-9a-f]{64})?$`)
	for _, infra := range []string{"mongo", "redis"} {
		s, ok := project.Services[infra]
		if !ok {
			p.add("no %s service", infra)
			continue
		}
		if !pinned.MatchString(s.Image) {
			p.add("%s: image %q is not pinned to a version", infra, s.Image)
		}
		requireHealthcheck(p, infra, s.HealthCheck)
		if len(s.Ports) > 0 {
			p.add("%s publishes ports: only the gateway is exposed", infra)
		}
	}
	healthy := 0
	for _, app := range appNames() {
		s, ok := project.Services[app]
		if !ok {
			p.add("no service %q", app)
			continue
		}
		if requireHealthcheck(p, app, s.HealthCheck) {
			healthy++
			if !slices.Contains(s.HealthCheck.Test, "node") {
				p.add("%s: healthcheck should use node (docker/healthcheck.cjs), got %q", app, s.HealthCheck.Test)
			}
		}
		if s.Build == nil {
			p.add("%s: no build section", app)
		} else {
			if filepath.Clean(s.Build.Context) != repoRoot {
				p.add("%s: build context %s is not the repository root %s", app, s.Build.Context, repoRoot)
			}
			if df := s.Build.Dockerfile; filepath.Clean(filepath.Join(s.Build.Context, df)) != filepath.Join(repoRoot, "docker", "Dockerfile") && filepath.Clean(df) != filepath.Join(repoRoot, "docker", "Dockerfile") {
				p.add("%s: dockerfile %q is not docker/Dockerfile", app, df)
			}
			if v := s.Build.Args["APP"]; v == nil || *v != app {
				p.add("%s: build arg APP must be %q", app, app)
			}
		}
		if !strings.HasPrefix(s.Image, "testpulse/"+app+":") {
			p.add("%s: image %q should be testpulse/%s:<tag>", app, s.Image, app)
		}
		env := func(k string) string {
			if v := s.Environment[k]; v != nil {
				return *v
			}
			return ""
		}
		expect := map[string]string{"NODE_ENV": "production", "REDIS_URL": "redis://redis:6379"}
		deps := []string{"redis"}
		if app == "gateway" {
			expect["GATEWAY_PORT"] = fmt.Sprint(appPorts[app])
		} else {
			expect["HEALTH_PORT"] = fmt.Sprint(appPorts[app])
			expect["MONGO_URL"] = "mongodb://mongo:27017"
			deps = append(deps, "mongo")
		}
		for k, v := range expect {
			if env(k) != v {
				p.add("%s: environment %s=%q, want %q", app, k, env(k), v)
			}
		}
		for _, secret := range composeSecrets[app] {
			if v, ok := given[secret]; !ok || env(secret) != v {
				p.add("%s: %s must come from the environment (${%s:?...}), not be written in the file", app, secret, secret)
			}
		}
		for k := range s.Environment {
			if regexp.MustCompile(`(SECRET|PASSWORD|TOKEN)`).MatchString(k) && !slices.Contains(composeSecrets[app], k) {
				p.add("%s: unexpected secret-like variable %s", app, k)
			}
		}
		for _, d := range deps {
			if dep, ok := s.DependsOn[d]; !ok || dep.Condition != types.ServiceConditionHealthy {
				p.add("%s: depends_on %s must use condition service_healthy", app, d)
			}
		}
		for d, dep := range s.DependsOn {
			if dep.Condition != types.ServiceConditionHealthy {
				p.add("%s: depends_on %s uses %q, want service_healthy", app, d, dep.Condition)
			}
		}
		if !s.ReadOnly {
			p.add("%s: read_only should be true (as readOnlyRootFilesystem in k8s)", app)
		}
		if !slices.Contains(s.CapDrop, "ALL") {
			p.add("%s: cap_drop should contain ALL", app)
		}
		if s.User != "" && (s.User == "root" || strings.HasPrefix(s.User, "0")) {
			p.add("%s: runs as root", app)
		}
		if app == "gateway" {
			if len(s.Ports) != 1 || s.Ports[0].Target != uint32(appPorts[app]) {
				p.add("gateway must publish exactly its port %d, got %+v", appPorts[app], s.Ports)
			}
		} else if len(s.Ports) > 0 {
			p.add("%s publishes ports: only the gateway is exposed", app)
		}
	}
	p.exit(fmt.Sprintf("%d services, %d apps with healthchecks, schema-valid", len(project.Services), healthy))
}

func requireHealthcheck(p *problems, name string, h *types.HealthCheckConfig) bool {
	if h == nil || h.Disable || len(h.Test) == 0 || h.Test[0] == "NONE" {
		p.add("%s: no healthcheck", name)
		return false
	}
	return true
}
