package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/eidkit/eidkit/cmsnet"
)

// common holds the flags every command takes.
type common struct {
	format   string
	spaces   spaceFlag
	allowDoc bool
}

type spaceFlag map[cmsnet.Environment][]netip.Prefix

// String implements flag.Value.
func (s spaceFlag) String() string { return "" }

// Set implements flag.Value; v is ENV=PREFIX.
func (s spaceFlag) Set(v string) error {
	env, pre, ok := strings.Cut(v, "=")
	if !ok {
		return errors.New("want ENV=PREFIX")
	}
	switch cmsnet.Environment(env) {
	case cmsnet.EnvInternet, cmsnet.EnvCMS, cmsnet.EnvTESTANG, cmsnet.EnvExtranet, cmsnet.EnvServiceBus:
	default:
		return fmt.Errorf("unknown environment %q", env)
	}
	p, err := netip.ParsePrefix(pre)
	if err != nil {
		return err
	}
	s[cmsnet.Environment(env)] = append(s[cmsnet.Environment(env)], p)
	return nil
}

func newFlags(name string, stderr io.Writer) (*flag.FlagSet, *common) {
	fs := flag.NewFlagSet("cmsnet "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := &common{spaces: spaceFlag{}}
	fs.StringVar(&c.format, "format", "auto", "descriptor format: auto, yaml or json")
	fs.Var(c.spaces, "space", "ENV=PREFIX: address space of an environment (repeatable)")
	fs.BoolVar(&c.allowDoc, "allow-documentation-prefixes", false, "admit documentation ranges on the Internet (examples only)")
	return fs, c
}

func (c *common) config() cmsnet.Config {
	cfg := cmsnet.Config{AllowDocumentationPrefixes: c.allowDoc}
	if len(c.spaces) > 0 {
		cfg.AddressSpaces = c.spaces
	}
	return cfg
}

func (c *common) formatFor(file string) (cmsnet.Format, error) {
	switch c.format {
	case "yaml":
		return cmsnet.FormatYAML, nil
	case "json":
		return cmsnet.FormatJSON, nil
	case "auto":
		switch strings.ToLower(filepath.Ext(file)) {
		case ".json":
			return cmsnet.FormatJSON, nil
		case ".yaml", ".yml":
			return cmsnet.FormatYAML, nil
		}
		return cmsnet.FormatAuto, nil
	}
	return 0, fmt.Errorf("unknown format %q", c.format)
}

// load reads and compiles file, printing errors; ok is false on failure.
func (c *common) load(file string, stderr io.Writer) (*cmsnet.Policy, bool) {
	format, err := c.formatFor(file)
	if err != nil {
		fmt.Fprintf(stderr, "cmsnet: %v\n", err)
		return nil, false
	}
	src, err := os.ReadFile(file)
	if err != nil {
		fmt.Fprintf(stderr, "cmsnet: %v\n", err)
		return nil, false
	}
	p, err := cmsnet.Load(src, format, c.config())
	var list cmsnet.ErrorList
	switch {
	case errors.As(err, &list):
		io.WriteString(stderr, list.Pretty(file))
		fmt.Fprintf(stderr, "%s: %d error(s)\n", file, len(list))
		return nil, false
	case err != nil:
		fmt.Fprintf(stderr, "%s: %v\n", file, err)
		return nil, false
	}
	return p, true
}

func parseArgs(fs *flag.FlagSet, args []string, min, max int) bool {
	if err := fs.Parse(args); err != nil {
		return false
	}
	if n := fs.NArg(); n < min || (max >= 0 && n > max) {
		fmt.Fprintf(fs.Output(), "%s: want %d to %d file arguments, got %d\n", fs.Name(), min, max, n)
		fs.Usage()
		return false
	}
	return true
}

func cmdValidate(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("validate", stderr)
	if !parseArgs(fs, args, 1, -1) {
		return exitUsage
	}
	code := exitOK
	for _, file := range fs.Args() {
		if _, ok := c.load(file, stderr); !ok {
			code = exitFail
			continue
		}
		fmt.Fprintf(stdout, "%s: ok\n", file)
	}
	return code
}

func cmdTest(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("test", stderr)
	if !parseArgs(fs, args, 1, -1) {
		return exitUsage
	}
	code := exitOK
	for _, file := range fs.Args() {
		p, ok := c.load(file, stderr)
		if !ok {
			code = exitFail
			continue
		}
		results := p.TestResults()
		for _, r := range results {
			fmt.Fprintf(stdout, "PASS %s: %s: %s\n", file, r.Test.Name, r.Decision)
		}
		fmt.Fprintf(stdout, "%s: %d test(s) passed\n", file, len(results))
	}
	return code
}

func cmdExplain(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("explain", stderr)
	source := fs.String("source", "", "source address")
	entity := fs.String("entity", "", "source entity, if known")
	service := fs.String("service", "", "destination service")
	env := fs.String("env", "", "environment: internet, cms, testa-ng, extranet, service-bus")
	proto := fs.String("proto", "tcp", "protocol: tcp or udp")
	port := fs.Uint("port", 0, "destination port")
	at := fs.String("at", "", "evaluate at this RFC 3339 time instead of now")
	if !parseArgs(fs, args, 1, 1) {
		return exitUsage
	}
	src, err := netip.ParseAddr(*source)
	if err != nil || *service == "" || *env == "" || *port == 0 || *port > 65535 {
		fmt.Fprintln(stderr, "cmsnet explain: -source ADDR, -service, -env and -port 1..65535 are required")
		return exitUsage
	}
	when := time.Now()
	if *at != "" {
		if when, err = time.Parse(time.RFC3339, *at); err != nil {
			fmt.Fprintf(stderr, "cmsnet explain: -at: %v\n", err)
			return exitUsage
		}
	}
	p, ok := c.load(fs.Arg(0), stderr)
	if !ok {
		return exitFail
	}
	f := cmsnet.Flow{Source: src, Entity: *entity, Service: *service, Environment: cmsnet.Environment(*env),
		Protocol: cmsnet.Protocol(*proto), Port: uint16(*port)}
	d := p.DecideAt(f, when)
	fmt.Fprintf(stdout, "flow:     %s\nverdict:  %s\n", f, d)
	if d.Rule != nil && d.Rule.Line > 0 {
		showSource(stdout, fs.Arg(0), d.Rule.Line, d.Rule.Column)
	}
	if d.Allowed {
		return exitOK
	}
	return exitFail
}

func cmdReach(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("reach", stderr)
	service := fs.String("service", "", "service")
	env := fs.String("env", "", "environment")
	if !parseArgs(fs, args, 1, 1) {
		return exitUsage
	}
	p, ok := c.load(fs.Arg(0), stderr)
	if !ok {
		return exitFail
	}
	r, err := p.WhoCanReach(*service, cmsnet.Environment(*env))
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "%s in %s at %v, endpoints %v\n", r.Service, r.Environment, r.Addresses, r.Endpoints)
	for _, s := range r.Sources {
		fmt.Fprintf(stdout, "  %v by %s\n", s.Prefixes, s.Rule)
	}
	return exitOK
}

func cmdDiff(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("diff", stderr)
	exitCode := fs.Bool("exit-code", false, "exit 1 when flows change")
	if !parseArgs(fs, args, 2, 2) {
		return exitUsage
	}
	older, ok1 := c.load(fs.Arg(0), stderr)
	newer, ok2 := c.load(fs.Arg(1), stderr)
	if !ok1 || !ok2 {
		return exitFail
	}
	changes := cmsnet.Diff(older, newer)
	for _, ch := range changes {
		ports := fmt.Sprint(ch.Port)
		if ch.EndPort != 0 {
			ports += fmt.Sprintf("-%d", ch.EndPort)
		}
		for _, p := range ch.Allowed {
			fmt.Fprintf(stdout, "+ allow %s -> %s@%s %s/%s\n", p, ch.Service, ch.Environment, ch.Protocol, ports)
		}
		for _, p := range ch.Denied {
			fmt.Fprintf(stdout, "- deny  %s -> %s@%s %s/%s\n", p, ch.Service, ch.Environment, ch.Protocol, ports)
		}
	}
	if len(changes) == 0 {
		fmt.Fprintln(stdout, "no flow changes")
	}
	if *exitCode && len(changes) > 0 {
		return exitFail
	}
	return exitOK
}

func cmdNFT(args []string, stdout, stderr io.Writer) int {
	fs, c := newFlags("nft", stderr)
	table := fs.String("table", "", "table name (default cmsnet)")
	hook := fs.String("hook", "", "forward (default) or input")
	if !parseArgs(fs, args, 1, 1) {
		return exitUsage
	}
	p, ok := c.load(fs.Arg(0), stderr)
	if !ok {
		return exitFail
	}
	if err := cmsnet.RenderNFT(stdout, p, cmsnet.NFTOptions{Table: *table, Hook: *hook}); err != nil {
		fmt.Fprintln(stderr, err)
		return exitUsage
	}
	return exitOK
}

// showSource prints file:line:col and that line of the file with a caret.
func showSource(w io.Writer, file string, line, col int) {
	src, err := os.ReadFile(file)
	if err != nil {
		return
	}
	lines := strings.Split(string(src), "\n")
	if line > len(lines) {
		return
	}
	text := strings.ReplaceAll(strings.TrimRight(lines[line-1], "\r"), "\t", " ")
	pad := min(max(col-1, 0), len([]rune(text)))
	fmt.Fprintf(w, "rule at:  %s:%d:%d\n  %s\n  %s^\n", file, line, col, text, strings.Repeat(" ", pad))
}
