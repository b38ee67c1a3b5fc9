// Command cmsnet validates, tests, explains, diffs and renders eidkit
// publication descriptors (package cmsnet; requirements C1-C8).
//
// Usage:
//
//	cmsnet validate [flags] FILE...
//	cmsnet test     [flags] FILE...
//	cmsnet explain  [flags] -source ADDR -service S -env E [-entity ID] [-proto tcp] -port N FILE
//	cmsnet reach    [flags] -service S -env E FILE
//	cmsnet diff     [flags] [-exit-code] OLD NEW
//	cmsnet nft      [flags] [-table NAME] [-hook forward|input] FILE
//
// Common flags: -format auto|yaml|json, -space ENV=PREFIX (repeatable;
// replaces that environment's address space, needed for testa-ng),
// -allow-documentation-prefixes (examples only).
//
// Exit status: 0 success (explain: allowed); 1 validation or test failure,
// a denied flow in explain, or changes in diff -exit-code; 2 usage error.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// Exit codes.
const (
	exitOK    = 0
	exitFail  = 1
	exitUsage = 2
)

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return exitUsage
	}
	cmds := map[string]func([]string, io.Writer, io.Writer) int{
		"validate": cmdValidate,
		"test":     cmdTest,
		"explain":  cmdExplain,
		"reach":    cmdReach,
		"diff":     cmdDiff,
		"nft":      cmdNFT,
	}
	cmd, ok := cmds[args[0]]
	if !ok {
		if args[0] == "-h" || args[0] == "-help" || args[0] == "help" {
			usage(stdout)
			return exitOK
		}
		io.WriteString(stderr, "cmsnet: unknown command "+args[0]+"\n")
		usage(stderr)
		return exitUsage
	}
	return cmd(args[1:], stdout, stderr)
}

func usage(w io.Writer) {
	io.WriteString(w, `usage: cmsnet COMMAND [flags] FILE...
commands:
  validate  check descriptors (syntax, C1-C8 rules, tests)
  test      run the descriptors' tests and print each result
  explain   decide one flow and name the deciding rule
  reach     list who can reach a service in an environment
  diff      list flows that become allowed or denied between two versions
  nft       render an nftables ruleset
run "cmsnet COMMAND -h" for a command's flags
`)
}
