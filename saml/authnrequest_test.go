package saml

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestAuthnRequestRoundTrip builds, serialises, parses and rebuilds every
// request shape (N2, spec-digest §4.3) and checks the golden XML.
func TestAuthnRequestRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		req  func(testing.TB) *AuthnRequest
	}{
		{"nias_full", sampleAuthnRequest},
		{"minimal", func(testing.TB) *AuthnRequest { return &AuthnRequest{ID: "_m", IssueInstant: t0} }},
		{"acs_index", func(testing.TB) *AuthnRequest {
			return &AuthnRequest{ID: "_i", IssueInstant: t0, Issuer: &NameID{Value: "https://sp.example"},
				AssertionConsumerServiceIndex: intp(3), IsPassive: true,
				RequestedAuthnContext: &RequestedAuthnContext{ClassRefs: []string{eidasLoAH}}}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.req(t)
			b := serialize(t, want.Element())
			golden(t, tt.name, b)
			got, err := ParseAuthnRequestBytes(b, Limits{})
			require.NoError(t, err)
			require.NotNil(t, got.Raw)
			require.Equal(t, Version, got.Version)
			require.Equal(t, want.ID, got.ID)
			require.True(t, want.IssueInstant.Equal(got.IssueInstant))
			require.Equal(t, want.Issuer, got.Issuer)
			require.Equal(t, want.NameIDPolicy, got.NameIDPolicy)
			require.Equal(t, want.RequestedAuthnContext, got.RequestedAuthnContext)
			require.Equal(t, want.Scoping, got.Scoping)
			require.Equal(t, want.AssertionConsumerServiceIndex, got.AssertionConsumerServiceIndex)
			require.Equal(t, want.AttributeConsumingServiceIndex, got.AttributeConsumingServiceIndex)
			require.Equal(t, []any{want.ForceAuthn, want.IsPassive, want.ProtocolBinding, want.AssertionConsumerServiceURL, want.ProviderName, want.Destination, want.Consent},
				[]any{got.ForceAuthn, got.IsPassive, got.ProtocolBinding, got.AssertionConsumerServiceURL, got.ProviderName, got.Destination, got.Consent})
			require.Len(t, got.Extensions, len(want.Extensions))
			require.Equal(t, want.Conditions == nil, got.Conditions == nil)
			// Rebuilding the parsed request gives the same bytes.
			require.Equal(t, string(b), string(serialize(t, got.Element())))
		})
	}
}

func TestAuthnRequestRawParts(t *testing.T) {
	b := serialize(t, sampleAuthnRequest(t).Element())
	got, err := ParseAuthnRequestBytes(b, Limits{})
	require.NoError(t, err)
	// The STORK QAA extension and the NIAS condition stay readable by
	// namespace (spec-digest §3.1, §4.3).
	require.Len(t, got.Extensions, 1)
	require.Equal(t, "urn:eu:stork:names:tc:STORK:1.0:assertion", got.Extensions[0].NamespaceURI())
	qaa, err := Text(got.Extensions[0])
	require.NoError(t, err)
	require.Equal(t, "3", qaa)
	cond := got.Conditions.SelectElement("Condition")
	require.NotNil(t, cond)
	require.Equal(t, "1", cond.SelectAttrValue("MinAuthenticationSecurityLevel", ""))
	typ, err := resolveQName(cond, cond.SelectAttrValue("xsi:type", ""))
	require.NoError(t, err)
	require.Equal(t, "http://nias.eid.com.hr/2012/07/saml20Extension", typ.Space)
	require.Equal(t, "NiasConditionType", typ.Local)
}

func TestParseAuthnRequestErrors(t *testing.T) {
	const ok = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"%s>%s</samlp:AuthnRequest>`
	tests := []struct {
		name, attrs, body string
		want              error
		field             string
	}{
		{"ok", "", "", nil, ""},
		{"bad ForceAuthn", ` ForceAuthn="yes"`, "", ErrInvalidMessage, "ForceAuthn"},
		{"bad index", ` AssertionConsumerServiceIndex="70000"`, "", ErrInvalidMessage, "AssertionConsumerServiceIndex"},
		{"negative index", ` AttributeConsumingServiceIndex="-1"`, "", ErrInvalidMessage, "AttributeConsumingServiceIndex"},
		{"bad comparison", "", `<samlp:RequestedAuthnContext Comparison="most"><saml:AuthnContextClassRef>x</saml:AuthnContextClassRef></samlp:RequestedAuthnContext>`, ErrInvalidMessage, "Comparison"},
		{"empty authn context", "", `<samlp:RequestedAuthnContext/>`, ErrInvalidMessage, "AuthnContextClassRef"},
		{"decl ref unsupported", "", `<samlp:RequestedAuthnContext><saml:AuthnContextDeclRef>x</saml:AuthnContextDeclRef></samlp:RequestedAuthnContext>`, ErrInvalidMessage, "AuthnContextDeclRef"},
		{"two policies", "", `<samlp:NameIDPolicy/><samlp:NameIDPolicy/>`, ErrInvalidMessage, "NameIDPolicy"},
		{"unknown child", "", `<samlp:Foo/>`, ErrInvalidMessage, "Foo"},
		{"issuer misplaced", "", `<samlp:NameIDPolicy/><saml:Issuer>x</saml:Issuer>`, ErrInvalidMessage, "Issuer"},
		{"empty issuer", "", `<saml:Issuer></saml:Issuer>`, ErrInvalidMessage, "Issuer"},
		{"issuer with child", "", `<saml:Issuer>a<saml:X/></saml:Issuer>`, ErrNotText, "X"},
		{"bad proxy count", "", `<samlp:Scoping ProxyCount="x"/>`, ErrInvalidMessage, "ProxyCount"},
		{"idp entry without id", "", `<samlp:Scoping><samlp:IDPList><samlp:IDPEntry/></samlp:IDPList></samlp:Scoping>`, ErrInvalidMessage, "ProviderID"},
		{"empty idp list", "", `<samlp:Scoping><samlp:IDPList/></samlp:Scoping>`, ErrInvalidMessage, "IDPEntry"},
		{"duplicate id", "", `<samlp:Extensions><x ID="_a"/></samlp:Extensions>`, ErrDuplicateID, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := strings.Replace(strings.Replace(ok, "%s", tt.attrs, 1), "%s", tt.body, 1)
			r, err := ParseAuthnRequestBytes([]byte(in), Limits{})
			if tt.want == nil {
				require.NoError(t, err)
				require.Equal(t, "_a", r.ID)
				return
			}
			require.ErrorIs(t, err, tt.want)
			require.Nil(t, r)
			if tt.field != "" {
				var fe *FieldError
				require.ErrorAs(t, err, &fe)
				require.Equal(t, tt.field, fe.Field)
			}
		})
	}
}

// TestParseHeaderErrors covers the attributes every request and response
// shares (SAML core §3.2.1, §3.2.2), through each parser.
func TestParseHeaderErrors(t *testing.T) {
	parsers := map[string]func([]byte, Limits) error{
		"AuthnRequest":   func(b []byte, l Limits) error { _, err := ParseAuthnRequestBytes(b, l); return err },
		"LogoutRequest":  func(b []byte, l Limits) error { _, err := ParseLogoutRequestBytes(b, l); return err },
		"Response":       func(b []byte, l Limits) error { _, err := ParseResponseBytes(b, l); return err },
		"LogoutResponse": func(b []byte, l Limits) error { _, err := ParseLogoutResponseBytes(b, l); return err },
	}
	tests := []struct {
		name, attrs string
		want        error
		field       string
	}{
		{"no ID", `Version="2.0" IssueInstant="2026-11-22T03:00:00Z"`, ErrInvalidMessage, "ID"},
		{"empty ID", `ID="" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"`, ErrInvalidMessage, "ID"},
		{"no Version", `ID="_x" IssueInstant="2026-11-22T03:00:00Z"`, ErrInvalidMessage, "Version"},
		{"Version 1.1", `ID="_x" Version="1.1" IssueInstant="2026-11-22T03:00:00Z"`, ErrVersion, "Version"},
		{"no IssueInstant", `ID="_x" Version="2.0"`, ErrInvalidMessage, "IssueInstant"},
		{"bad IssueInstant", `ID="_x" Version="2.0" IssueInstant="yesterday"`, ErrBadTime, "IssueInstant"},
	}
	for root, parse := range parsers {
		for _, tt := range tests {
			t.Run(root+"/"+tt.name, func(t *testing.T) {
				in := `<samlp:` + root + ` xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` + tt.attrs + `/>`
				err := parse([]byte(in), Limits{})
				require.ErrorIs(t, err, tt.want)
				require.ErrorIs(t, err, ErrInvalidMessage)
				var fe *FieldError
				require.ErrorAs(t, err, &fe)
				require.Equal(t, root, fe.Element)
				require.Equal(t, tt.field, fe.Field)
			})
		}
		t.Run(root+"/wrong root", func(t *testing.T) {
			err := parse([]byte(`<samlp:Other xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>`), Limits{})
			require.ErrorIs(t, err, ErrUnexpectedElement)
		})
		t.Run(root+"/right name wrong namespace", func(t *testing.T) {
			err := parse([]byte(`<samlp:`+root+` xmlns:samlp="urn:evil" ID="_x" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"/>`), Limits{})
			require.ErrorIs(t, err, ErrUnexpectedElement)
		})
		t.Run(root+"/hostile xml", func(t *testing.T) {
			err := parse([]byte(`<!DOCTYPE x><x/>`), Limits{})
			require.ErrorIs(t, err, ErrDoctype)
		})
	}
}

// TestParseByNamespaceNotPrefix: any prefix (or the default namespace) bound
// to the SAML namespaces is read the same way.
func TestParseByNamespaceNotPrefix(t *testing.T) {
	in := `<AuthnRequest xmlns="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:a="urn:oasis:names:tc:SAML:2.0:assertion" ID="_d" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">` +
		`<a:Issuer>sp</a:Issuer><NameIDPolicy Format="x"/></AuthnRequest>`
	r, err := ParseAuthnRequestBytes([]byte(in), Limits{})
	require.NoError(t, err)
	require.Equal(t, "sp", r.Issuer.Value)
	require.Equal(t, "x", r.NameIDPolicy.Format)
	// A saml prefix bound to the wrong namespace is not an Issuer.
	in = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:evil" ID="_d" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"><saml:Issuer>sp</saml:Issuer></samlp:AuthnRequest>`
	_, err = ParseAuthnRequestBytes([]byte(in), Limits{})
	require.ErrorIs(t, err, ErrInvalidMessage)
}
