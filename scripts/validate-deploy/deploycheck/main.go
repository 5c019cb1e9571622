// Command deploycheck validates testpulse's deployment files offline, with the real parsers of
// each format: BuildKit's Dockerfile parser and linter, compose-go's loader (with the Compose
// Specification JSON schema), and kustomize's renderer followed by a strict decode of every
// rendered object into the k8s.io/api types (unknown or duplicate fields and wrong types fail).
// On top of that it checks testpulse's own rules (non-root, probes, resources, secrets apart...).
//
//	deploycheck dockerfile -root REPO [-file docker/Dockerfile] [-dockerignore .dockerignore]
//	deploycheck context    -root REPO   (lists the files the build context sends)
//	deploycheck compose    -file docker/compose.yml [-env NAME=VALUE ...]
//	deploycheck kustomize  -dir k8s/base [-profile base|production] [-o rendered.yaml]
//
// It prints what it checked and exits 1 with every problem found, 2 on bad usage.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// The fleet: each app and the port of its probes (GATEWAY_PORT for the gateway, HEALTH_PORT else).
var appPorts = map[string]int{
	"gateway":                 3000,
	"data-aggregation":        3101,
	"analytics-engine":        3102,
	"report-generation":       3103,
	"cache-management":        3104,
	"dashboard-orchestration": 3105,
	"alert-management":        3106,
	"export-integration":      3107,
	"user-preferences":        3108,
}

func appNames() []string {
	names := make([]string, 0, len(appPorts))
	for n := range appPorts {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// problems collects every finding of one run, so that a run reports all of them at once.
type problems struct {
	subject string
	list    []string
}

func (p *problems) add(format string, args ...any) {
	p.list = append(p.list, fmt.Sprintf(format, args...))
}

func (p *problems) exit(summary string) {
	if len(p.list) > 0 {
		fmt.Fprintf(os.Stderr, "deploycheck %s: %d problem(s):\n", p.subject, len(p.list))
		for _, s := range p.list {
			fmt.Fprintf(os.Stderr, "  - %s\n", s)
		}
		os.Exit(1)
	}
	fmt.Printf("deploycheck %s: ok (%s)\n", p.subject, summary)
}

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func usage() {
	fmt.Fprintln(os.Stderr, "usage: deploycheck dockerfile|context|compose|kustomize [flags] (see -h of each)")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	fs := flag.NewFlagSet(os.Args[1], flag.ExitOnError)
	switch os.Args[1] {
	case "dockerfile":
		root := fs.String("root", ".", "repository root (the build context)")
		file := fs.String("file", "", "Dockerfile (default ROOT/docker/Dockerfile)")
		ignore := fs.String("dockerignore", "", "ignore file of the context (default ROOT/.dockerignore)")
		_ = fs.Parse(os.Args[2:])
		if *file == "" {
			*file = filepath.Join(*root, "docker", "Dockerfile")
		}
		if *ignore == "" {
			*ignore = filepath.Join(*root, ".dockerignore")
		}
		checkDockerfile(*root, *file, *ignore)
	case "context":
		root := fs.String("root", ".", "repository root (the build context)")
		ignore := fs.String("dockerignore", "", "ignore file (default ROOT/.dockerignore)")
		_ = fs.Parse(os.Args[2:])
		if *ignore == "" {
			*ignore = filepath.Join(*root, ".dockerignore")
		}
		listContext(*root, *ignore)
	case "compose":
		file := fs.String("file", "", "compose file")
		var env multiFlag
		fs.Var(&env, "env", "NAME=VALUE for interpolation (repeatable); the OS environment is not used")
		_ = fs.Parse(os.Args[2:])
		if *file == "" {
			usage()
		}
		checkCompose(*file, env)
	case "kustomize":
		dir := fs.String("dir", "", "kustomization directory")
		profile := fs.String("profile", "base", "base or production (production adds its rules)")
		out := fs.String("o", "", "also write the rendered manifests here")
		_ = fs.Parse(os.Args[2:])
		if *dir == "" || (*profile != "base" && *profile != "production") {
			usage()
		}
		checkKustomize(*dir, *profile, *out)
	default:
		usage()
	}
}
