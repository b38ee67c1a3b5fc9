package cmsnet

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// validBase is a small valid descriptor; cases below patch it.
const validBase = `version: 1
entities:
  - {id: owner, connection: kivs, agencySystem: true, prefixes: [10.10.0.0/16]}
  - {id: user, connection: regional, prefixes: [10.20.0.0/16]}
  - {id: vpn, connection: vpn-ipsec, prefixes: [10.30.0.0/16]}
groups:
  - {id: grp, members: [user]}
extranets:
  - {id: ext, members: [user]}
publications:
  - service: svc
    owner: owner
    critical: true
    hosting: institution
    environments:
      - environment: cms
        access: approved
        addresses: [10.1.0.1]
        endpoints: [{protocol: tcp, port: 443}]
      - environment: testa-ng
        addresses: [172.31.0.1]
        endpoints: [{protocol: tcp, port: 443}]
        sources: [{prefix: 172.30.0.0/16}]
      - environment: extranet
        extranet: ext
        addresses: [10.1.0.2]
        endpoints: [{protocol: tcp, port: 443}]
      - environment: internet
        addresses: [192.0.2.1]
        endpoints: [{protocol: tcp, port: 443}]
        sources: [{prefix: 0.0.0.0/0}]
    serviceBus:
      addresses: [10.1.0.3]
      endpoints: [{protocol: tcp, port: 8443}]
      sources: [{prefix: 10.99.0.0/24}]
grants:
  - {id: g1, service: svc, entity: user, environment: cms, sources: [10.20.1.0/24], state: approved, approvedBy: owner}
`

func TestValidBaseLoads(t *testing.T) {
	_, err := Load([]byte(validBase), FormatYAML, testConfig())
	require.NoError(t, err)
}

// TestValidationRules checks each semantic rule of C1-C8 with one patch of
// validBase: the stable code, the sentinel and the path.
func TestValidationRules(t *testing.T) {
	for _, tc := range []struct {
		name, old, new string
		code, path     string
		sentinel       error
	}{
		{"C1 agency system on ssl vpn", "connection: kivs, agencySystem: true", "connection: vpn-ssl, agencySystem: true",
			"connection-type", "entities[0].connection", ErrConnection},
		{"C1 critical over ipsec grant", "entity: user, environment: cms, sources: [10.20.1.0/24]", "entity: vpn, environment: cms, sources: [10.30.1.0/24]",
			"critical-ipsec", "grants[0].entity", ErrCriticalIPsec},
		{"C1 critical testa source admits ipsec entity", "sources: [{prefix: 172.30.0.0/16}]", "sources: [{prefix: 10.30.0.0/24}]",
			"critical-ipsec", "publications[0].environments[1].sources[0].prefix", ErrCriticalIPsec},
		{"entities overlap", "prefixes: [10.20.0.0/16]", "prefixes: [10.10.5.0/24]",
			"overlap", "entities[1].prefixes[0]", ErrOverlap},
		{"duplicate entity", "id: vpn,", "id: user,", "duplicate", "entities[2].id", ErrDuplicate},
		{"duplicate address", "addresses: [10.1.0.1]", "addresses: [10.1.0.1, 10.1.0.1]",
			"duplicate", "publications[0].environments[0].addresses[1]", ErrDuplicate},
		{"unknown owner", "owner: owner\n", "owner: nobody\n", "unknown-reference", "publications[0].owner", ErrUnknownReference},
		{"unknown group member", "members: [user]}\nextranets", "members: [ghost]}\nextranets", "unknown-reference", "groups[0].members[0]", ErrUnknownReference},
		{"C3 internet address private", "addresses: [192.0.2.1]", "addresses: [10.9.9.9]",
			"address-space", "publications[0].environments[3].addresses[0]", ErrAddressSpace},
		{"C3 internet without sources", "        sources: [{prefix: 0.0.0.0/0}]\n", "",
			"source-required", "publications[0].environments[3].sources", ErrSourceRequired},
		{"C4 cms address public", "addresses: [10.1.0.1]", "addresses: [192.0.2.9]",
			"address-space", "publications[0].environments[0].addresses[0]", ErrAddressSpace},
		{"C4 cms without access", "        access: approved\n", "", "missing-field", "publications[0].environments[0].access", ErrMissing},
		{"C4 approved with sources", "        access: approved\n", "        access: approved\n        sources: [{prefix: 10.20.0.0/16}]\n",
			"ungranted-access", "publications[0].environments[0].sources", ErrUngranted},
		{"C4 public with sources", "        access: approved\n", "        access: public\n        sources: [{prefix: 10.20.0.0/16}]\n",
			"contradiction", "publications[0].environments[0].sources", ErrContradiction},
		{"C4 grant on public service", "        access: approved\n", "        access: public\n",
			"contradiction", "grants[0].environment", ErrContradiction},
		{"C4 approved by someone else", "approvedBy: owner}", "approvedBy: user}", "grant-approval", "grants[0].approvedBy", ErrGrant},
		{"C4 approved without approver", ", approvedBy: owner}", "}", "missing-field", "grants[0].approvedBy", ErrMissing},
		{"C4 approvedFor excludes entity", "        access: approved\n", "        access: approved\n        approvedFor: [owner]\n",
			"grant-not-approvable", "grants[0].entity", ErrGrant},
		{"C4 approvedFor unknown", "        access: approved\n", "        access: approved\n        approvedFor: [nobody]\n",
			"unknown-reference", "publications[0].environments[0].approvedFor[0]", ErrUnknownReference},
		{"access outside cms", "        extranet: ext\n", "        extranet: ext\n        access: public\n",
			"contradiction", "publications[0].environments[2].access", ErrContradiction},
		{"C5 testa unconfigured space", "addresses: [172.31.0.1]", "addresses: [172.32.0.1]",
			"address-space", "publications[0].environments[1].addresses[0]", ErrAddressSpace},
		{"C5 testa without sources", "        sources: [{prefix: 172.30.0.0/16}]\n", "",
			"source-required", "publications[0].environments[1].sources", ErrSourceRequired},
		{"except outside prefix", "sources: [{prefix: 172.30.0.0/16}]", "sources: [{prefix: 172.30.0.0/16, except: [172.29.0.0/24]}]",
			"contradiction", "publications[0].environments[1].sources[0].except[0]", ErrContradiction},
		{"C6 extranet with sources", "        extranet: ext\n", "        extranet: ext\n        sources: [{prefix: 10.20.0.0/16}]\n",
			"contradiction", "publications[0].environments[2].sources", ErrContradiction},
		{"C6 unknown extranet", "extranet: ext\n", "extranet: other\n", "unknown-reference", "publications[0].environments[2].extranet", ErrUnknownReference},
		{"C6 extranet missing", "        extranet: ext\n", "", "missing-field", "publications[0].environments[2].extranet", ErrMissing},
		{"C7 grant source outside entity", "sources: [10.20.1.0/24]", "sources: [10.21.1.0/24]",
			"grant-source-outside-entity", "grants[0].sources[0]", ErrGrant},
		{"C7 grant unknown service", "{id: g1, service: svc", "{id: g1, service: other", "unknown-reference", "grants[0].service", ErrUnknownReference},
		{"C7 overlapping grants", "approvedBy: owner}\n", "approvedBy: owner}\n  - {id: g2, service: svc, entity: user, environment: cms, sources: [10.20.0.0/20], state: approved, approvedBy: owner}\n",
			"overlap", "grants[0].sources[0]", ErrOverlap},
		{"C8 bus private space", "addresses: [10.1.0.3]", "addresses: [192.0.2.3]", "address-space", "publications[0].serviceBus.addresses[0]", ErrAddressSpace},
		{"C8 bus without sources", "      sources: [{prefix: 10.99.0.0/24}]\n", "", "source-required", "publications[0].serviceBus.sources", ErrSourceRequired},
		{"endpoints overlap", "endpoints: [{protocol: tcp, port: 8443}]", "endpoints: [{protocol: tcp, port: 8443}, {protocol: tcp, port: 8000, endPort: 9000}]",
			"overlap", "publications[0].serviceBus.endpoints[1]", ErrOverlap},
		{"unknown field in serviceBus", "addresses: [10.1.0.3]", "addresses: [10.1.0.2]\n      endpoints: [{protocol: tcp, port: 443}]\n      mode: synchronous\n      x-unused: 1\n",
			"unknown-field", "publications[0].serviceBus.x-unused", ErrUnknownField},
		{"test names unknown entity", "approvedBy: owner}\n", "approvedBy: owner}\ntests:\n  - {name: t, source: 10.20.1.1, entity: ghost, service: svc, environment: cms, protocol: tcp, port: 443, expect: deny}\n",
			"unknown-reference", "tests[0].entity", ErrUnknownReference},
	} {
		t.Run(tc.name, func(t *testing.T) {
			require.Contains(t, validBase, tc.old)
			src := strings.Replace(validBase, tc.old, tc.new, 1)
			_, err := Load([]byte(src), FormatYAML, testConfig())
			e := requireErrorAt(t, err, tc.sentinel, tc.code, tc.path)
			require.Positive(t, e.Line)
		})
	}
}

// TestGrantEnvironmentNotPublished: C7 grants target an environment the
// service is published to.
func TestGrantEnvironmentNotPublished(t *testing.T) {
	src := strings.Replace(validBase, "      - environment: internet\n        addresses: [192.0.2.1]\n        endpoints: [{protocol: tcp, port: 443}]\n        sources: [{prefix: 0.0.0.0/0}]\n", "", 1)
	src = strings.Replace(src, "entity: user, environment: cms", "entity: user, environment: internet", 1)
	_, err := Load([]byte(src), FormatYAML, testConfig())
	var e *Error
	require.ErrorAs(t, err, &e)
	require.Equal(t, "grant-environment", e.Code)
	require.Equal(t, "grants[0].environment", e.Path)
	require.ErrorIs(t, err, ErrGrant)
}

// TestAddressConflict: the same internet socket published by two services.
func TestAddressConflict(t *testing.T) {
	d, err := Parse([]byte(validBase), FormatYAML, testConfig())
	require.NoError(t, err)
	other := d.Publications[0]
	other.Service = "other"
	other.Critical = false
	other.ServiceBus = nil
	other.Environments = []EnvPublication{d.Publications[0].Environments[3]}
	d.Publications = append(d.Publications, other)
	_, err = Compile(d, testConfig())
	require.ErrorIs(t, err, ErrOverlap)
	require.ErrorContains(t, err, "is also published by publications[0].environments[3].addresses[0]")
}

// TestCompileGoDescriptor compiles a descriptor built in Go: errors have
// paths but no positions.
func TestCompileGoDescriptor(t *testing.T) {
	d := &Descriptor{
		Version:  Version,
		Entities: []Entity{{ID: "o", Connection: ConnKIVS, Prefixes: prefixes("10.10.0.0/16")}},
		Publications: []Publication{{Service: "s", Owner: "o", Hosting: HostingNDC, Environments: []EnvPublication{{
			Environment: EnvCMS, Access: AccessPublic, Addresses: []netip.Addr{netip.MustParseAddr("10.1.0.1")},
			Endpoints: []Endpoint{{Protocol: TCP, Port: 443}},
		}}}},
	}
	p, err := Compile(d, Config{})
	require.NoError(t, err)
	require.True(t, p.Decide(flow("10.10.1.1", "o", "s", EnvCMS, TCP, 443)).Allowed)
	d.Publications[0].Environments[0].Endpoints[0].Port = 444 // the policy keeps its own copy
	require.True(t, p.Decide(flow("10.10.1.1", "o", "s", EnvCMS, TCP, 443)).Allowed)

	d.Publications[0].Environments[0].Addresses[0] = netip.MustParseAddr("8.8.8.8")
	d.Version = 0
	_, err = Compile(d, Config{})
	var list ErrorList
	require.ErrorAs(t, err, &list)
	require.Len(t, list, 2)
	require.ErrorIs(t, err, ErrVersion)
	require.ErrorIs(t, err, ErrAddressSpace)
	for _, e := range list {
		require.Zero(t, e.Line)
	}
}

// requireErrorAt asserts that err matches sentinel and that its ErrorList
// holds an error with the code at the path, and returns that error.
func requireErrorAt(t *testing.T, err, sentinel error, code, path string) *Error {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	var list ErrorList
	require.ErrorAs(t, err, &list)
	for _, e := range list {
		if e.Code == code && e.Path == path {
			return e
		}
	}
	t.Fatalf("no %s at %q in:\n%s", code, path, list.Pretty("descriptor"))
	return nil
}
