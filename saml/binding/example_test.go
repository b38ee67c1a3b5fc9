package binding_test

import (
	"context"
	"crypto/x509"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/binding"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/samltest"
)

const authnRequest = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_r1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"/>`

// An SP sends a signed AuthnRequest with the HTTP-Redirect binding; the IdP
// decodes it and verifies the query signature with the SP's certificate
// from metadata.
func ExampleRedirect_URL() {
	sp, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		log.Fatal(err)
	}
	r := binding.Redirect{
		Destination: "https://idp.example.org/sso",
		Param:       binding.ParamRequest,
		XML:         []byte(authnRequest),
		RelayState:  "7f3a",
		Key:         sp.Key,
	}
	u, err := r.URL()
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(strings.SplitN(u, "?", 2)[0])

	// At the IdP.
	msg, err := binding.DecodeRedirect(httptest.NewRequest(http.MethodGet, u, nil), binding.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := msg.Verify([]*x509.Certificate{sp.Certificate}, dsig.Policy{}); err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Param, msg.RelayState, msg.SigAlg)
	fmt.Println(string(msg.XML) == authnRequest)
	// Output:
	// https://idp.example.org/sso
	// SAMLRequest 7f3a http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256
	// true
}

// DecodeRedirect reports what is wrong with a query string through errors.Is.
func ExampleDecodeRedirect() {
	_, err := binding.DecodeRedirectQuery("SAMLRequest=abc&SAMLRequest=abc", binding.Limits{})
	fmt.Println(err)
	_, err = binding.DecodeRedirectQuery("RelayState=x", binding.Limits{})
	fmt.Println(err)
	// Output:
	// binding: duplicate parameter: SAMLRequest
	// binding: no SAML message: neither SAMLRequest nor SAMLResponse
}

// An IdP answers with the HTTP-POST binding: an auto-submitting form that
// runs under a strict Content-Security-Policy.
func ExampleWritePOST() {
	rec := httptest.NewRecorder()
	err := binding.WritePOST(rec, "https://sp.example.org/acs", binding.ParamResponse, []byte(`<samlp:Response/>`), "7f3a")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(rec.Header().Get("Content-Security-Policy"))

	err = binding.WritePOST(httptest.NewRecorder(), "javascript:alert(1)", binding.ParamResponse, []byte(`<samlp:Response/>`), "")
	fmt.Println(err)
	// Output:
	// default-src 'none'; script-src 'sha256-ksB5vsbtOSDHP3+3MQXO5kgqYynnF2d2wynVl+zrIr4='; form-action https://sp.example.org; base-uri 'none'; frame-ancestors 'none'
	// binding: bad destination URL: scheme "javascript" is not http or https
}

// The SP's assertion consumer service reads the posted form.
func ExampleDecodePOST() {
	r := httptest.NewRequest(http.MethodPost, "https://sp.example.org/acs",
		strings.NewReader("SAMLResponse=PHNhbWxwOlJlc3BvbnNlLz4%3D&RelayState=7f3a"))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	msg, err := binding.DecodePOST(r, binding.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(msg.Param, msg.RelayState, string(msg.XML))
	// Output: SAMLResponse 7f3a <samlp:Response/>
}

// A session authority sends a LogoutRequest over the SOAP back channel; the
// participant answers with ReadSOAP and WriteSOAP.
func ExampleSOAPClient_Call() {
	participant := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		req, err := binding.ReadSOAP(r, saml.Limits{})
		if err != nil {
			_ = binding.WriteSOAPFault(w, binding.FaultFor(err))
			return
		}
		// ... verify the signature, end the sessions ...
		_ = binding.WriteSOAP(w, []byte(`<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" InResponseTo="`+req.SelectAttrValue("ID", "")+`"/>`))
	}))
	defer participant.Close()

	client, err := binding.NewSOAPClient(binding.SOAPClientConfig{})
	if err != nil {
		log.Fatal(err)
	}
	resp, err := client.Call(context.Background(), participant.URL,
		[]byte(`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_lr1"/>`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.Tag, resp.SelectAttrValue("InResponseTo", ""))
	// Output: LogoutResponse _lr1
}

// UnwrapSOAP returns the message inside a SOAP 1.1 envelope.
func ExampleUnwrapSOAP() {
	env := binding.WrapSOAP([]byte(`<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"/>`))
	el, err := binding.UnwrapSOAP(env, saml.Limits{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(env))
	fmt.Println(el.Tag, el.NamespaceURI())
	// Output:
	// <SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"><SOAP-ENV:Body><samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_x"/></SOAP-ENV:Body></SOAP-ENV:Envelope>
	// LogoutResponse urn:oasis:names:tc:SAML:2.0:protocol
}
