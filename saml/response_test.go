package saml

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestResponseRoundTrip builds, serialises, parses and rebuilds Responses
// (N2, spec-digest §2.3) and checks the golden XML.
func TestResponseRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		resp func(testing.TB) *Response
	}{
		{"success", func(testing.TB) *Response { return sampleResponse() }},
		{"request_denied", func(testing.TB) *Response {
			return &Response{StatusResponse: StatusResponse{ID: "_r2", InResponseTo: "_a1", IssueInstant: t0,
				Issuer: &NameID{Value: idpEntity}, Status: NewStatusError(StatusResponder, StatusRequestDenied, "user refused consent").Status()}}
		}},
		{"encrypted", func(t testing.TB) *Response {
			r := sampleResponse()
			r.Assertions = nil
			r.EncryptedAssertions = append(r.EncryptedAssertions, mustElement(t,
				`<saml:EncryptedAssertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"><xenc:EncryptedData xmlns:xenc="http://www.w3.org/2001/04/xmlenc#" Type="http://www.w3.org/2001/04/xmlenc#Element"/></saml:EncryptedAssertion>`))
			return r
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.resp(t)
			b := serialize(t, want.Element())
			golden(t, tt.name, b)
			got, err := ParseResponseBytes(b, Limits{})
			require.NoError(t, err)
			require.NotNil(t, got.Raw)
			require.Equal(t, want.ID, got.ID)
			require.Equal(t, want.InResponseTo, got.InResponseTo)
			require.Equal(t, want.Issuer, got.Issuer)
			require.Equal(t, want.Status, got.Status)
			require.Len(t, got.Assertions, len(want.Assertions))
			require.Len(t, got.EncryptedAssertions, len(want.EncryptedAssertions))
			for i, a := range got.Assertions {
				require.NotNil(t, a.Raw)
				a.Raw = nil
				require.Equal(t, want.Assertions[i], a)
			}
			require.Equal(t, string(b), string(serialize(t, got.Element())))
		})
	}
}

func TestResponseErr(t *testing.T) {
	r := sampleResponse()
	require.NoError(t, r.Err())
	r.Status = &Status{Code: StatusRequester, SubCode: StatusNoAuthnContext, Message: "202015 - invalid value for Level of Assurance"}
	err := r.Err()
	require.ErrorIs(t, err, ErrStatusRequester)
	require.ErrorIs(t, err, ErrStatusNoAuthnContext)
	require.NotErrorIs(t, err, ErrStatusResponder)
	var se *StatusError
	require.ErrorAs(t, err, &se)
	require.Equal(t, "202015 - invalid value for Level of Assurance", se.Message)
	// A response built without a status never reads as a success.
	r.Status = nil
	got, err := ParseResponseBytes(compact(t, r.Element()), Limits{})
	require.NoError(t, err)
	require.ErrorIs(t, got.Err(), ErrStatusResponder)
}

func TestParseResponseErrors(t *testing.T) {
	const head = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">`
	const st = `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>`
	const as = `<saml:Assertion ID="_as" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"><saml:Issuer>idp</saml:Issuer>%s</saml:Assertion>`
	assertion := func(body string) string { return strings.Replace(as, "%s", body, 1) }
	tests := []struct {
		name, body string
		want       error
		field      string
	}{
		{"ok", st + assertion(""), nil, ""},
		{"no status", ``, ErrInvalidMessage, "Status"},
		{"status without code", `<samlp:Status/>`, ErrInvalidMessage, "StatusCode"},
		{"status code without value", `<samlp:Status><samlp:StatusCode/></samlp:Status>`, ErrInvalidMessage, "Value"},
		{"status after assertion", assertion("") + st, ErrInvalidMessage, "Status"},
		{"unknown child", st + `<samlp:Foo/>`, ErrInvalidMessage, "Foo"},
		{"XSW duplicate assertion ID", st + assertion("") + assertion(""), ErrDuplicateID, ""},
		{"XSW ID reused in extensions", `<samlp:Extensions><x ID="_as"/></samlp:Extensions>` + st + assertion(""), ErrDuplicateID, ""},
		{"XSW ID reused as Id", st + assertion(`<saml:Advice><x Id="_r"/></saml:Advice>`), ErrDuplicateID, ""},
		{"advice after statement", st + assertion(`<saml:AuthnStatement AuthnInstant="2026-11-22T03:00:00Z"><saml:AuthnContext/></saml:AuthnStatement><saml:Advice/>`), ErrInvalidMessage, "Advice"},
		{"assertion without issuer", st + `<saml:Assertion ID="_as" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"/>`, ErrInvalidMessage, "Issuer"},
		{"assertion version", st + `<saml:Assertion ID="_as" Version="1.0" IssueInstant="2026-11-22T03:00:00Z"><saml:Issuer>i</saml:Issuer></saml:Assertion>`, ErrVersion, "Version"},
		{"two subjects", st + assertion(`<saml:Subject><saml:NameID>a</saml:NameID></saml:Subject><saml:Subject><saml:NameID>b</saml:NameID></saml:Subject>`), ErrInvalidMessage, "Subject"},
		{"empty subject", st + assertion(`<saml:Subject/>`), ErrInvalidMessage, "NameID"},
		{"two conditions", st + assertion(`<saml:Conditions/><saml:Conditions/>`), ErrInvalidMessage, "Conditions"},
		{"bad conditions time", st + assertion(`<saml:Conditions NotBefore="x"/>`), ErrBadTime, "NotBefore"},
		{"empty audience restriction", st + assertion(`<saml:Conditions><saml:AudienceRestriction/></saml:Conditions>`), ErrInvalidMessage, "Audience"},
		{"confirmation without method", st + assertion(`<saml:Subject><saml:SubjectConfirmation/></saml:Subject>`), ErrInvalidMessage, "Method"},
		{"bad confirmation time", st + assertion(`<saml:Subject><saml:SubjectConfirmation Method="m"><saml:SubjectConfirmationData NotOnOrAfter="soon"/></saml:SubjectConfirmation></saml:Subject>`), ErrBadTime, "NotOnOrAfter"},
		{"authn statement without instant", st + assertion(`<saml:AuthnStatement><saml:AuthnContext/></saml:AuthnStatement>`), ErrInvalidMessage, "AuthnInstant"},
		{"authn statement without context", st + assertion(`<saml:AuthnStatement AuthnInstant="2026-11-22T03:00:00Z"/>`), ErrInvalidMessage, "AuthnContext"},
		{"two class refs", st + assertion(`<saml:AuthnStatement AuthnInstant="2026-11-22T03:00:00Z"><saml:AuthnContext><saml:AuthnContextClassRef>a</saml:AuthnContextClassRef><saml:AuthnContextClassRef>b</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>`), ErrInvalidMessage, "AuthnContextClassRef"},
		{"attribute without name", st + assertion(`<saml:AttributeStatement><saml:Attribute/></saml:AttributeStatement>`), ErrInvalidMessage, "Name"},
		{"empty attribute statement", st + assertion(`<saml:AttributeStatement/>`), ErrInvalidMessage, "Attribute"},
		{"bad xsi:type", st + assertion(`<saml:AttributeStatement><saml:Attribute Name="a"><saml:AttributeValue xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:type="nope:string">v</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`), ErrInvalidMessage, "xsi:type"},
		{"signature misplaced", st + assertion(`<saml:Subject><saml:NameID>a</saml:NameID></saml:Subject><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>`), ErrInvalidMessage, "Signature"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := ParseResponseBytes([]byte(head+tt.body+`</samlp:Response>`), Limits{})
			if tt.want == nil {
				require.NoError(t, err)
				require.Len(t, r.Assertions, 1)
				return
			}
			require.ErrorIs(t, err, tt.want)
			if tt.field != "" {
				var fe *FieldError
				require.ErrorAs(t, err, &fe)
				require.Equal(t, tt.field, fe.Field)
			}
		})
	}
}

// TestAssertionCommentInjection: a comment or CDATA split inside NameID or an
// attribute value reads as the whole concatenated value that c14n (and so
// the signature) covers, never as the first fragment (landscape.md,
// comment-injection class).
func TestAssertionCommentInjection(t *testing.T) {
	in := `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_as" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">` +
		`<saml:Issuer>idp<!---->.evil</saml:Issuer>` +
		`<saml:Subject><saml:NameID>admin@example.hr<!-- x -->.evil.example</saml:NameID></saml:Subject>` +
		`<saml:AttributeStatement><saml:Attribute Name="oib"><saml:AttributeValue>123<![CDATA[45]]>678<!---->903</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>` +
		`</saml:Assertion>`
	doc, err := ParseXML([]byte(in), Limits{})
	require.NoError(t, err)
	a, err := ParseAssertion(doc.Root())
	require.NoError(t, err)
	require.Equal(t, "idp.evil", a.Issuer.Value)
	require.Equal(t, "admin@example.hr.evil.example", a.Subject.NameID.Value)
	require.Equal(t, "12345678903", a.AttributeStatements[0].Attributes[0].Values[0].Value)
}

func TestAssertionParts(t *testing.T) {
	in := `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ID="_as" Version="2.0" IssueInstant="2026-11-22T05:00:00+02:00">` +
		`<saml:Issuer>idp</saml:Issuer>` +
		`<saml:Subject><saml:EncryptedID><x/></saml:EncryptedID></saml:Subject>` +
		`<saml:Conditions><saml:Condition xsi:type="xs:string"/><saml:Foo/></saml:Conditions>` +
		`<saml:Advice><saml:AssertionIDRef>_other</saml:AssertionIDRef></saml:Advice>` +
		`<saml:AttributeStatement><saml:Attribute Name="a"><saml:AttributeValue xsi:type="string" xsi:nil="true"/><saml:AttributeValue><c>d</c></saml:AttributeValue></saml:Attribute>` +
		`<saml:EncryptedAttribute><y/></saml:EncryptedAttribute></saml:AttributeStatement>` +
		`</saml:Assertion>`
	doc, err := ParseXML([]byte(in), Limits{})
	require.NoError(t, err)
	a, err := ParseAssertion(doc.Root())
	require.NoError(t, err)
	require.Equal(t, time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC), a.IssueInstant)
	require.Nil(t, a.Subject.NameID)
	require.NotNil(t, a.Subject.EncryptedID)
	require.Len(t, a.Conditions.Unknown, 2)
	require.NotNil(t, a.Advice)
	vals := a.AttributeStatements[0].Attributes[0].Values
	require.Equal(t, "string", vals[0].Type.Local)
	require.Equal(t, "", vals[0].Type.Space, "unprefixed QName with no default namespace")
	require.Equal(t, NSXSI, vals[0].Attrs[0].Name.Space)
	require.Equal(t, "nil", vals[0].Attrs[0].Name.Local)
	require.Len(t, vals[1].Children, 1)
	require.Len(t, a.AttributeStatements[0].EncryptedAttributes, 1)
	// Raw parts survive a rebuild with their namespaces.
	b := compact(t, a.Element())
	a2, err := ParseAssertion(mustElement(t, string(b)))
	require.NoError(t, err)
	require.Len(t, a2.Conditions.Unknown, 2)
	typ, err := resolveQName(a2.Conditions.Unknown[0], a2.Conditions.Unknown[0].SelectAttrValue("xsi:type", ""))
	require.NoError(t, err)
	require.Equal(t, NSXS, typ.Space)
	require.Equal(t, string(b), string(compact(t, a2.Element())))
}
