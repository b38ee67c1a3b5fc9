package binding

import (
	"crypto/x509"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/samltest"
)

const fuzzLimit = 64 << 10

// FuzzDecodeRedirect feeds raw query strings to the HTTP-Redirect decoder
// and, when one decodes as signed, to Verify: never a panic, and every
// accepted message within the limits.
func FuzzDecodeRedirect(f *testing.F) {
	kp, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		f.Fatal(err)
	}
	signed, err := (&Redirect{Destination: "https://idp.example.org/sso", Param: ParamRequest, XML: []byte(sampleRequest), RelayState: "rs", Key: kp.Key}).URL()
	if err != nil {
		f.Fatal(err)
	}
	unsigned, err := (&Redirect{Destination: "https://sp.example.org/slo?a=1", Param: ParamResponse, XML: []byte("<x/>")}).URL()
	if err != nil {
		f.Fatal(err)
	}
	for _, u := range []string{signed, unsigned} {
		parsed, _ := url.Parse(u)
		f.Add(parsed.RawQuery)
	}
	f.Add("SAMLRequest=%2b%2f&RelayState=a+b&SigAlg=x&Signature=AAAA")
	f.Add("SAMLRequest=&SAMLRequest=")
	f.Add("SAMLEncoding=urn%3Ax&SAMLResponse=8wAA")
	f.Add("&&=&SAMLResponse=%zz")
	certs := []*x509.Certificate{kp.Certificate}
	seed, err := DecodeRedirectQuery(signed[strings.IndexByte(signed, '?')+1:], Limits{})
	if err != nil {
		f.Fatal(err)
	}
	seedOctets := seed.SignedOctets()
	f.Fuzz(func(t *testing.T, q string) {
		m, err := DecodeRedirectQuery(q, Limits{MaxMessageBytes: fuzzLimit})
		if err != nil {
			requireInputError(t, m == nil, err)
			return
		}
		requireDecoded(t, m.Param, m.XML, m.RelayState)
		if m.Signed() != (len(m.SignedOctets()) > 0) || (m.Signed() && !strings.HasPrefix(string(m.SignedOctets()), m.Param)) {
			t.Fatalf("signed octets %q for signed=%v", m.SignedOctets(), m.Signed())
		}
		// Only octets kp signed may verify: anything else would be a
		// forgery.
		if _, err := m.Verify(certs, dsig.Policy{}); err == nil && string(m.SignedOctets()) != string(seedOctets) {
			t.Fatalf("signature accepted over %q", m.SignedOctets())
		}
	})
}

// FuzzDecodePOST feeds form bodies to the HTTP-POST decoder.
func FuzzDecodePOST(f *testing.F) {
	f.Add("SAMLResponse=" + url.QueryEscape("PHgvPg==") + "&RelayState=abc")
	f.Add("SAMLRequest=PHgv%0D%0APg%3D%3D")
	f.Add("SAMLResponse=a&SAMLResponse=b")
	f.Add("RelayState=" + strings.Repeat("x", 90) + "&SAMLRequest=PHgvPg==")
	f.Add("SAMLResponse=%G0")
	f.Fuzz(func(t *testing.T, body string) {
		r := httptest.NewRequest(http.MethodPost, "https://sp.example.org/acs", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		m, err := DecodePOST(r, Limits{MaxMessageBytes: fuzzLimit, MaxEncodedBytes: 2 * fuzzLimit})
		if err != nil {
			requireInputError(t, m == nil, err)
			return
		}
		requireDecoded(t, m.Param, m.XML, m.RelayState)
	})
}

// inputSentinels are the sentinels bad input may produce. Each fuzz target
// requires every error to match one of them: a typed error, never a bare
// string (issue 2, "Bad input").
func inputSentinels() []error {
	return []error{ErrTooLarge, ErrRelayStateTooLong, ErrMalformed, ErrMissingMessage,
		ErrDuplicateParameter, ErrUnsupportedEncoding, ErrContentType, ErrSOAPFault,
		ErrVersionMismatch, ErrMustUnderstand}
}

// requireInputError fails unless err matches an input sentinel and no result
// came with it.
func requireInputError(t *testing.T, noResult bool, err error) {
	t.Helper()
	if !noResult {
		t.Fatalf("result returned with error %v", err)
	}
	for _, s := range inputSentinels() {
		if errors.Is(err, s) {
			return
		}
	}
	t.Fatalf("error matches no input sentinel: %v", err)
}

// requireDecoded fails unless a decoded message respects the limits.
func requireDecoded(t *testing.T, param string, xml []byte, relayState string) {
	t.Helper()
	if len(xml) == 0 || len(xml) > fuzzLimit || len(relayState) > MaxRelayState {
		t.Fatalf("limits not enforced: %d bytes, RelayState %d", len(xml), len(relayState))
	}
	if param != ParamRequest && param != ParamResponse {
		t.Fatalf("param %q", param)
	}
}

// FuzzUnwrapSOAP feeds documents to the SOAP 1.1 envelope reader.
func FuzzUnwrapSOAP(f *testing.F) {
	f.Add(WrapSOAP([]byte(sampleLogout)))
	f.Add([]byte(envelope(`<S:Header><x:H xmlns:x="urn:x" S:mustUnderstand="1"/></S:Header>`, sampleLogout)))
	f.Add([]byte(envelope("", `<S:Fault><faultcode>S:Client</faultcode><faultstring>x</faultstring></S:Fault>`)))
	f.Add([]byte(envelope("", sampleLogout+sampleLogout)))
	f.Add([]byte(`<!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		el, err := UnwrapSOAP(data, saml.Limits{MaxBytes: fuzzLimit})
		if err != nil {
			requireInputError(t, el == nil, err)
			if f := FaultFor(err); f.Code == FaultServer {
				t.Fatalf("input error %v answered with a Server fault", err)
			}
			return
		}
		body := el.Parent()
		if body == nil || body.Tag != "Body" || body.NamespaceURI() != saml.NSSOAP11 {
			t.Fatalf("message not in a SOAP Body")
		}
		if env := body.Parent(); env == nil || env.Tag != "Envelope" || env.NamespaceURI() != saml.NSSOAP11 {
			t.Fatalf("Body not in a SOAP Envelope")
		}
	})
}
