package cmsnet

import (
	"net/netip"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// oneService is a minimal descriptor: one entity and one service "s"
// published with the given environment entry.
func oneService(env string) string {
	return `version: 1
entities:
  - {id: a, connection: kivs, prefixes: [10.10.0.0/16]}
publications:
  - service: s
    owner: a
    hosting: ndc
    environments:
` + env
}

// endpointDoc publishes s on the CMS network at addr with one endpoint.
func endpointDoc(ep, addr string) string {
	return oneService(`      - environment: cms
        access: public
        addresses: [` + addr + `]
        endpoints:
          - {` + ep + `}
`)
}

// TestBadInputTyped feeds the bad input the issue lists (and a few more
// edge cases) in YAML and JSON: each is a typed error with the path, the
// stable code and the position, and none panics.
func TestBadInputTyped(t *testing.T) {
	const jsonPub = `{"version":1,"entities":[{"id":"a","connection":"kivs","prefixes":["10.10.0.0/16"]}],` +
		`"publications":[{"service":"s","owner":"a","hosting":"ndc","environments":[{"environment":"cms",` +
		`"access":"public","addresses":["10.1.0.10"],"endpoints":[{"protocol":"tcp","port":PORT}]}]}]}`
	portCol := strings.Index(jsonPub, "PORT") + 1 // the caret goes under the value
	tests := []struct {
		name     string
		src      string
		format   Format
		sentinel error
		code     string
		path     string
		line     int
		col      int
	}{
		{"YAML port beyond uint64", endpointDoc("protocol: tcp, port: 99999999999999999999", "10.1.0.10"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 13, 35},
		{"YAML port 65536", endpointDoc("protocol: tcp, port: 65536", "10.1.0.10"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 13, 35},
		{"YAML port 0", endpointDoc("protocol: tcp, port: 0", "10.1.0.10"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 13, 35},
		{"YAML negative port", endpointDoc("protocol: tcp, port: -1", "10.1.0.10"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 13, 35},
		{"YAML fractional port", endpointDoc("protocol: tcp, port: 44.5", "10.1.0.10"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 13, 35},
		{"YAML port range reversed", endpointDoc("protocol: tcp, port: 9000, endPort: 8000", "10.1.0.10"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].endPort", 13, 50},
		{"YAML duplicated key in flow mapping", endpointDoc("protocol: tcp, port: 1, port: 2", "10.1.0.10"), FormatYAML,
			ErrDuplicate, "duplicate", "publications[0].environments[0].endpoints[0].port", 13, 38},
		{"YAML duplicated key in block mapping", strings.Replace(endpointDoc("protocol: tcp, port: 443", "10.1.0.10"),
			"    hosting: ndc\n", "    hosting: ndc\n    hosting: institution\n", 1), FormatYAML,
			ErrDuplicate, "duplicate", "publications[0].hosting", 8, 5},
		{"YAML unknown field", endpointDoc("protocol: tcp, port: 443, colour: red", "10.1.0.10"), FormatYAML,
			ErrUnknownField, "unknown-field", "publications[0].environments[0].endpoints[0].colour", 13, 40},
		{"YAML unknown protocol", endpointDoc("protocol: sctp, port: 443", "10.1.0.10"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].protocol", 13, 24},
		{"YAML IPv6 address outside the CMS space", endpointDoc("protocol: tcp, port: 443", `"2a00:1450::1"`), FormatYAML,
			ErrAddressSpace, "address-space", "publications[0].environments[0].addresses[0]", 11, 21},
		{"YAML address with prefix length", endpointDoc("protocol: tcp, port: 443", "10.1.0.0/24"), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].addresses[0]", 11, 21},
		{"YAML empty entity id", strings.Replace(endpointDoc("protocol: tcp, port: 443", "10.1.0.10"), "id: a,", `id: "",`, 1), FormatYAML,
			ErrType, "invalid-value", "entities[0].id", 3, 10},
		{"YAML empty service name", strings.Replace(endpointDoc("protocol: tcp, port: 443", "10.1.0.10"), "service: s", `service: ""`, 1), FormatYAML,
			ErrType, "invalid-value", "publications[0].service", 5, 14},
		{"YAML oversized id", strings.Replace(endpointDoc("protocol: tcp, port: 443", "10.1.0.10"), "id: a,", "id: "+strings.Repeat("a", DefaultMaxStringBytes+1)+",", 1), FormatYAML,
			ErrTooLarge, "too-large", "entities[0].id", 3, 10},
		{"YAML address with zone", endpointDoc("protocol: tcp, port: 443", `"fe80::1%eth0"`), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].addresses[0]", 11, 21},
		{"YAML IPv4-mapped address", endpointDoc("protocol: tcp, port: 443", `"::ffff:10.1.0.10"`), FormatYAML,
			ErrType, "invalid-value", "publications[0].environments[0].addresses[0]", 11, 21},
		{"YAML environment published twice", oneService("      - {environment: cms, access: public, addresses: [10.1.0.1], endpoints: [{protocol: tcp, port: 1}]}\n" +
			"      - {environment: cms, access: public, addresses: [10.1.0.2], endpoints: [{protocol: tcp, port: 1}]}\n"), FormatYAML,
			ErrDuplicate, "duplicate", "publications[0].environments[1].environment", 10, 23},
		{"YAML publication without environments", oneService("      []\n"), FormatYAML,
			ErrMissing, "missing-field", "publications[0]", 5, 5},
		{"YAML NUL byte", "version: 1\x00\n", FormatYAML, ErrSyntax, "encoding", "", 1, 11},
		{"YAML invalid UTF-8", "version: 1\nentities:\n  - id: \xff\n", FormatYAML, ErrSyntax, "encoding", "", 3, 9},
		{"YAML alias", "a: &x [1]\nversion: *x\n", FormatYAML, ErrSyntax, "syntax", "", 2, 10},
		{"YAML wrong version", "version: 2\n", FormatYAML, ErrVersion, "unsupported-version", "version", 1, 10},
		{"JSON unknown field", `{"version":1,"colour":1}`, FormatJSON,
			ErrUnknownField, "unknown-field", "colour", 1, 14},
		{"JSON duplicated key", `{"version":1,"version":1}`, FormatJSON, ErrDuplicate, "duplicate", "version", 1, 14},
		{"JSON port 65536", strings.Replace(jsonPub, "PORT", "65536", 1), FormatJSON,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 1, portCol},
		{"JSON huge number", strings.Replace(jsonPub, "PORT", "1e400", 1), FormatJSON,
			ErrType, "invalid-value", "publications[0].environments[0].endpoints[0].port", 1, portCol},
		{"JSON invalid UTF-8 in a string", "{\"version\":1,\"entities\":[{\"id\":\"\xff\"}]}", FormatJSON,
			ErrSyntax, "encoding", "", 1, 33},
		{"JSON trailing data", `{"version":1} {}`, FormatJSON, ErrSyntax, "syntax", "", 1, 16},
		{"JSON truncated", `{"version":1`, FormatJSON, ErrSyntax, "syntax", "", 1, 13},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.NotPanics(t, func() {
				_, err := Load([]byte(tc.src), tc.format, testConfig())
				e := requireErrorAt(t, err, tc.sentinel, tc.code, tc.path)
				require.Equal(t, [2]int{tc.line, tc.col}, [2]int{e.Line, e.Column}, "%v", err)
				require.Contains(t, e.Excerpt, "^", "caret excerpt")
			})
		})
	}
}

// TestExceptEdgeCases: exceptions must sit strictly inside their prefix;
// IPv6 and IPv4 sources coexist; an except hole refilled by a second
// source is still an overlap (rules must not overlap, so the verdict never
// depends on rule order).
func TestExceptEdgeCases(t *testing.T) {
	const env = `      - environment: internet
        addresses: [192.0.2.1]
        endpoints: [{protocol: tcp, port: 443}]
        sources:
`
	tests := []struct {
		name, sources string
		sentinel      error
		code, path    string
		allow, deny   []string
	}{
		{"IPv4 and IPv6 with holes", "          - {prefix: 0.0.0.0/0, except: [198.51.100.0/24]}\n          - {prefix: \"::/0\", except: [\"2001:db8:bad::/48\"]}\n",
			nil, "", "", []string{"198.51.99.1", "2001:db8:1::1", "::ffff:198.51.99.1"}, []string{"198.51.100.7", "2001:db8:bad::1", "::ffff:198.51.100.7"}},
		{"except equal to prefix", "          - {prefix: 198.51.100.0/24, except: [198.51.100.0/24]}\n",
			ErrContradiction, "contradiction", "publications[0].environments[0].sources[0].except[0]", nil, nil},
		{"except of the other family", "          - {prefix: 198.51.100.0/24, except: [\"2001:db8::/32\"]}\n",
			ErrContradiction, "contradiction", "publications[0].environments[0].sources[0].except[0]", nil, nil},
		{"hole refilled by another source", "          - {prefix: 198.51.0.0/16, except: [198.51.100.0/24]}\n          - {prefix: 198.51.100.0/24}\n",
			ErrOverlap, "overlap", "publications[0].environments[0].sources[1].prefix", nil, nil},
		{"same prefix twice", "          - {prefix: 198.51.100.0/24}\n          - {prefix: 198.51.100.0/24}\n",
			ErrOverlap, "overlap", "publications[0].environments[0].sources[1].prefix", nil, nil},
		{"prefix not canonical", "          - {prefix: 198.51.100.7/24}\n",
			ErrType, "invalid-value", "publications[0].environments[0].sources[0].prefix", nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := Load([]byte(oneService(env+tc.sources)), FormatYAML, testConfig())
			if tc.sentinel == nil {
				require.NoError(t, err)
				for _, want := range []struct {
					addrs []string
					ok    bool
				}{{tc.allow, true}, {tc.deny, false}} {
					for _, a := range want.addrs {
						d := p.Decide(Flow{Source: netip.MustParseAddr(a), Service: "s", Environment: EnvInternet, Protocol: TCP, Port: 443})
						require.Equal(t, want.ok, d.Allowed, "%s: %s", a, d)
					}
				}
				return
			}
			e := requireErrorAt(t, err, tc.sentinel, tc.code, tc.path)
			require.Positive(t, e.Line)
		})
	}
}

// TestGrantStatesAndBusMode: only an approved grant admits traffic
// (CMS2-03: requested, rejected and revoked deny), and a service-bus
// publication is synchronous unless it says otherwise (CMS2-04, C8).
func TestGrantStatesAndBusMode(t *testing.T) {
	flow := Flow{Source: netip.MustParseAddr("10.20.1.7"), Entity: "user", Service: "svc",
		Environment: EnvCMS, Protocol: TCP, Port: 443}
	for _, tc := range []struct {
		state   GrantState
		allowed bool
	}{{GrantApproved, true}, {GrantRequested, false}, {GrantRejected, false}, {GrantRevoked, false}} {
		t.Run(string(tc.state), func(t *testing.T) {
			src := strings.Replace(validBase, "state: approved, approvedBy: owner}", "state: "+string(tc.state)+", approvedBy: owner}", 1)
			p, err := Load([]byte(src), FormatYAML, testConfig())
			require.NoError(t, err)
			d := p.Decide(flow)
			require.Equal(t, tc.allowed, d.Allowed, "%s", d)
			if !tc.allowed {
				require.Equal(t, ReasonNoRule, d.Reason)
			}
		})
	}
	d, err := Parse([]byte(validBase), FormatYAML, testConfig())
	require.NoError(t, err)
	require.Equal(t, BusSynchronous, d.Publications[0].ServiceBus.Mode, "C8: synchronous by default")
	async := strings.Replace(validBase, "    serviceBus:\n", "    serviceBus:\n      mode: asynchronous\n", 1)
	d, err = Parse([]byte(async), FormatYAML, testConfig())
	require.NoError(t, err)
	require.Equal(t, BusAsynchronous, d.Publications[0].ServiceBus.Mode)
}
