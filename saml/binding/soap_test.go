package binding

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/eidkit/eidkit/saml"
)

const sampleLogout = `<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"><saml:Issuer>https://idp.example.org</saml:Issuer><saml:NameID>u1</saml:NameID></samlp:LogoutRequest>`

func envelope(header, body string) string {
	return `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/">` + header + `<S:Body>` + body + `</S:Body></S:Envelope>`
}

// TestWrapUnwrapSOAP: the message is the single child of the Body, byte for
// byte (SAMLBind §3.2.3, spec-digest §5.3).
func TestWrapUnwrapSOAP(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		sampleLogout,
		`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + sampleLogout,
		"\xEF\xBB\xBF" + `<?xml version="1.0"?>` + sampleLogout,
	} {
		wrapped := WrapSOAP([]byte(in))
		require.Contains(t, string(wrapped), `<SOAP-ENV:Body>`+sampleLogout+`</SOAP-ENV:Body>`)
		el, err := UnwrapSOAP(wrapped, saml.Limits{})
		require.NoError(t, err)
		require.Equal(t, "LogoutRequest", el.Tag)
		require.Equal(t, saml.NSProtocol, el.NamespaceURI())
		require.Equal(t, "_lr1", el.SelectAttrValue("ID", ""))
	}
}

// TestUnwrapSOAPAccepts: envelopes other SOAP 1.1 stacks send for single
// logout (N14) are read.
func TestUnwrapSOAPAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, env string }{
		{name: "whitespace and comments", env: "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\">\n <!-- c -->\n <S:Body>\n  " + sampleLogout + "\n <!-- d --></S:Body>\n</S:Envelope>"},
		{name: "header without mustUnderstand", env: envelope(`<S:Header><x:H xmlns:x="urn:x"/></S:Header>`, sampleLogout)},
		{name: "mustUnderstand 0", env: envelope(`<S:Header><x:H xmlns:x="urn:x" S:mustUnderstand="0"/></S:Header>`, sampleLogout)},
		{name: "mustUnderstand for another actor", env: envelope(`<S:Header><x:H xmlns:x="urn:x" S:mustUnderstand="1" S:actor="urn:someone-else"/></S:Header>`, sampleLogout)},
		{name: "unqualified mustUnderstand is not SOAP's", env: envelope(`<S:Header><x:H xmlns:x="urn:x" mustUnderstand="1"/></S:Header>`, sampleLogout)},
		{name: "trailer element after body", env: strings.Replace(envelope("", sampleLogout), "</S:Body>", "</S:Body><t:T xmlns:t=\"urn:t\"/>", 1)},
		{name: "namespaces from envelope", env: `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/" xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"><S:Body><samlp:LogoutRequest ID="_lr1"/></S:Body></S:Envelope>`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			el, err := UnwrapSOAP([]byte(tc.env), saml.Limits{})
			require.NoError(t, err)
			require.Equal(t, "LogoutRequest", el.Tag)
			require.Equal(t, saml.NSProtocol, el.NamespaceURI())
		})
	}
}

// TestUnwrapSOAPErrors: each malformed envelope has its sentinel (issue 2,
// "Bad input"; SOAP 1.1 §4).
func TestUnwrapSOAPErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, env string
		lim       saml.Limits
		want      []error
	}{
		{name: "soap 1.2", env: `<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body>` + sampleLogout + `</e:Body></e:Envelope>`, want: []error{ErrVersionMismatch}},
		{name: "unqualified envelope", env: `<Envelope><Body>` + sampleLogout + `</Body></Envelope>`, want: []error{ErrVersionMismatch}},
		{name: "bare message", env: sampleLogout, want: []error{ErrMalformed}},
		{name: "no body", env: `<S:Envelope xmlns:S="http://schemas.xmlsoap.org/soap/envelope/"/>`, want: []error{ErrMalformed}},
		{name: "two bodies", env: strings.Replace(envelope("", sampleLogout), "</S:Body>", "</S:Body><S:Body/>", 1), want: []error{ErrMalformed}},
		{name: "header after body", env: strings.Replace(envelope("", sampleLogout), "</S:Body>", "</S:Body><S:Header/>", 1), want: []error{ErrMalformed}},
		{name: "unqualified trailer", env: strings.Replace(envelope("", sampleLogout), "</S:Body>", "</S:Body><T/>", 1), want: []error{ErrMalformed}},
		{name: "header after foreign element", env: envelope(`<x:X xmlns:x="urn:x"/><S:Header/>`, sampleLogout), want: []error{ErrMalformed}},
		{name: "element before body", env: envelope(`<x:X xmlns:x="urn:x"/>`, sampleLogout), want: []error{ErrMalformed}},
		{name: "text in envelope", env: envelope("hello", sampleLogout), want: []error{ErrMalformed}},
		{name: "text in body", env: envelope("", "hi"+sampleLogout), want: []error{ErrMalformed}},
		{name: "two messages (wrapping)", env: envelope("", sampleLogout+sampleLogout), want: []error{ErrMalformed}},
		{name: "empty body", env: envelope("", ""), want: []error{ErrMissingMessage}},
		{name: "mustUnderstand", env: envelope(`<S:Header><x:H xmlns:x="urn:x" S:mustUnderstand="1"/></S:Header>`, sampleLogout), want: []error{ErrMustUnderstand}},
		{name: "mustUnderstand next actor", env: envelope(`<S:Header><x:H xmlns:x="urn:x" S:mustUnderstand="1" S:actor="http://schemas.xmlsoap.org/soap/actor/next"/></S:Header>`, sampleLogout), want: []error{ErrMustUnderstand}},
		{name: "doctype", env: `<!DOCTYPE x [<!ENTITY e "x">]>` + envelope("", sampleLogout), want: []error{ErrMalformed, saml.ErrDoctype}},
		{name: "not xml", env: "<<<", want: []error{ErrMalformed, saml.ErrMalformed}},
		{name: "too large", env: envelope("", sampleLogout), lim: saml.Limits{MaxBytes: 100}, want: []error{ErrTooLarge, saml.ErrLimit}},
		{name: "too deep", env: envelope("", strings.Repeat("<a>", 10)+strings.Repeat("</a>", 10)), lim: saml.Limits{MaxDepth: 5}, want: []error{ErrTooLarge, saml.ErrLimit}},
		{name: "invalid limits", env: envelope("", sampleLogout), lim: saml.Limits{MaxBytes: -1}, want: []error{ErrInvalidConfig}},
		{name: "fault", env: envelope("", `<S:Fault><faultcode>S:Server</faultcode><faultstring>down</faultstring></S:Fault>`), want: []error{ErrSOAPFault}},
		{name: "fault without code", env: envelope("", `<S:Fault><faultstring>down</faultstring></S:Fault>`), want: []error{ErrMalformed}},
		{name: "fault with nested faultstring", env: envelope("", `<S:Fault><faultcode>S:Server</faultcode><faultstring><b/></faultstring></S:Fault>`), want: []error{ErrMalformed}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			el, err := UnwrapSOAP([]byte(tc.env), tc.lim)
			require.Nil(t, el)
			for _, w := range tc.want {
				require.ErrorIs(t, err, w)
			}
		})
	}
}

// TestUnwrapSOAPFault: a Fault in the Body comes back as a *Fault with its
// code resolved by namespace.
func TestUnwrapSOAPFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, fault string
		want        Fault
	}{
		{name: "soap prefix", fault: `<S:Fault><faultcode>S:Client.Auth</faultcode><faultstring>no <!-- x -->way</faultstring><faultactor> urn:a </faultactor><detail><x/></detail></S:Fault>`, want: Fault{Code: "Client.Auth", String: "no way", Actor: "urn:a"}},
		{name: "declared on fault", fault: `<S:Fault xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><faultcode>soap:Server</faultcode><faultstring>x</faultstring></S:Fault>`, want: Fault{Code: "Server", String: "x"}},
		{name: "foreign namespace", fault: `<S:Fault xmlns:v="urn:vendor"><faultcode>v:Busy</faultcode><faultstring/></S:Fault>`, want: Fault{Code: "{urn:vendor}Busy"}},
		{name: "undeclared prefix kept raw", fault: `<S:Fault><faultcode>Server</faultcode></S:Fault>`, want: Fault{Code: "Server"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := UnwrapSOAP([]byte(envelope("", tc.fault)), saml.Limits{})
			f, ok := errors.AsType[*Fault](err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.want, *f)
			require.ErrorIs(t, err, ErrSOAPFault)
		})
	}
	long := &Fault{Code: "Server", String: strings.Repeat("x", 500)}
	require.Less(t, len(long.Error()), 260)
}

func soapRequest(body, contentType string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "https://sp.example.org/slo/soap", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	return r
}

// TestReadSOAP: the server side of the back channel (N14) checks method,
// Content-Type and size before parsing.
func TestReadSOAP(t *testing.T) {
	t.Parallel()
	body := string(WrapSOAP([]byte(sampleLogout)))
	tests := []struct {
		name string
		req  *http.Request
		lim  saml.Limits
		want error
	}{
		{name: "ok", req: soapRequest(body, "text/xml")},
		{name: "ok with charset", req: soapRequest(body, "text/xml; charset=UTF-8")},
		{name: "nil", req: nil, want: ErrMissingMessage},
		{name: "GET", req: httptest.NewRequest(http.MethodGet, "/slo/soap", nil), want: ErrMethod},
		{name: "no content type", req: soapRequest(body, ""), want: ErrContentType},
		{name: "html", req: soapRequest(body, "text/html"), want: ErrContentType},
		{name: "latin1", req: soapRequest(body, "text/xml; charset=iso-8859-1"), want: ErrContentType},
		{name: "soap 1.2 content type", req: soapRequest(body, "application/soap+xml"), want: ErrVersionMismatch},
		{name: "too large", req: soapRequest(body, "text/xml"), lim: saml.Limits{MaxBytes: 64}, want: ErrTooLarge},
		{name: "invalid limits", req: soapRequest(body, "text/xml"), lim: saml.Limits{MaxDepth: -3}, want: ErrInvalidConfig},
		{name: "empty body", req: soapRequest("", "text/xml"), want: ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			el, err := ReadSOAP(tc.req, tc.lim)
			if tc.want == nil {
				require.NoError(t, err)
				require.Equal(t, "_lr1", el.SelectAttrValue("ID", ""))
				return
			}
			require.ErrorIs(t, err, tc.want)
			require.Nil(t, el)
		})
	}
}

// TestReadSOAPLimitError: an oversize request is a *LimitError.
func TestReadSOAPLimitError(t *testing.T) {
	t.Parallel()
	_, err := ReadSOAP(soapRequest(string(WrapSOAP([]byte(sampleLogout))), "text/xml"), saml.Limits{MaxBytes: 64})
	le, ok := errors.AsType[*LimitError](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, LimitError{What: "SOAP request", Max: 64}, *le)
}

// TestWriteSOAP: a response is a 200 SOAP 1.1 envelope, not cacheable.
func TestWriteSOAP(t *testing.T) {
	t.Parallel()
	rec := httptest.NewRecorder()
	require.NoError(t, WriteSOAP(rec, []byte(sampleLogout)))
	require.Equal(t, http.StatusOK, rec.Code)
	require.Equal(t, SOAPContentType, rec.Header().Get("Content-Type"))
	require.Equal(t, "no-cache, no-store", rec.Header().Get("Cache-Control"))
	el, err := UnwrapSOAP(rec.Body.Bytes(), saml.Limits{})
	require.NoError(t, err)
	require.Equal(t, "LogoutRequest", el.Tag)
}

// TestWriteSOAPFault: faults are 500 with an escaped faultstring, and an
// invalid code is written as Server.
func TestWriteSOAPFault(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   *Fault
		want Fault
	}{
		{name: "client", in: &Fault{Code: FaultClient, String: `bad <input> & "more"`, Actor: "urn:me"}, want: Fault{Code: FaultClient, String: `bad <input> & "more"`, Actor: "urn:me"}},
		{name: "dotted", in: &Fault{Code: "Server.Busy", String: "x"}, want: Fault{Code: "Server.Busy", String: "x"}},
		{name: "nil", want: Fault{Code: FaultServer, String: faultText(FaultServer)}},
		{name: "invalid code", in: &Fault{Code: "x:y<z>", String: "s"}, want: Fault{Code: FaultServer, String: "s"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			require.NoError(t, WriteSOAPFault(rec, tc.in))
			require.Equal(t, http.StatusInternalServerError, rec.Code)
			require.Equal(t, SOAPContentType, rec.Header().Get("Content-Type"))
			_, err := UnwrapSOAP(rec.Body.Bytes(), saml.Limits{})
			f, ok := errors.AsType[*Fault](err)
			require.True(t, ok, "%v", err)
			require.Equal(t, tc.want, *f)
		})
	}
}

// TestFaultFor maps ReadSOAP errors to SOAP 1.1 §4.4.1 codes without
// leaking the error text to the peer.
func TestFaultFor(t *testing.T) {
	t.Parallel()
	secret := "db password rejected"
	tests := []struct {
		err  error
		want string
	}{
		{err: ErrVersionMismatch, want: FaultVersionMismatch},
		{err: ErrMustUnderstand, want: FaultMustUnderstand},
		{err: malformed("%s", secret), want: FaultClient},
		{err: &LimitError{What: "SOAP request", Max: 1}, want: FaultClient},
		{err: ErrMissingMessage, want: FaultClient},
		{err: ErrContentType, want: FaultClient},
		{err: ErrMethod, want: FaultClient},
		{err: errors.New(secret), want: FaultServer},
		{err: nil, want: FaultServer},
	}
	for _, tc := range tests {
		f := FaultFor(tc.err)
		require.Equal(t, tc.want, f.Code, "%v", tc.err)
		require.NotContains(t, f.String, secret)
		require.NotEmpty(t, f.String)
	}
}

// TestSOAPServerEndToEnd wires ReadSOAP, WriteSOAP and WriteSOAPFault into a
// handler the way the SP/IdP templates will.
func TestSOAPServerEndToEnd(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		el, err := ReadSOAP(r, saml.Limits{})
		if err != nil {
			_ = WriteSOAPFault(w, FaultFor(err))
			return
		}
		_ = WriteSOAP(w, []byte(`<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" InResponseTo="`+el.SelectAttrValue("ID", "")+`"/>`))
	})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, soapRequest(string(WrapSOAP([]byte(sampleLogout))), "text/xml"))
	el, err := UnwrapSOAP(rec.Body.Bytes(), saml.Limits{})
	require.NoError(t, err)
	require.Equal(t, "_lr1", el.SelectAttrValue("InResponseTo", ""))

	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, soapRequest(envelope(`<S:Header><x:H xmlns:x="urn:x" S:mustUnderstand="1"/></S:Header>`, sampleLogout), "text/xml"))
	_, err = UnwrapSOAP(rec.Body.Bytes(), saml.Limits{})
	f, ok := errors.AsType[*Fault](err)
	require.True(t, ok, "%v", err)
	require.Equal(t, FaultMustUnderstand, f.Code)
}
