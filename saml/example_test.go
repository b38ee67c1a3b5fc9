package saml_test

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/saml"
)

func ExampleParseXML() {
	_, err := saml.ParseXML([]byte(`<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>`), saml.Limits{})
	fmt.Println(errors.Is(err, saml.ErrDoctype))

	_, err = saml.ParseXML([]byte(`<a><b><c/></b></a>`), saml.Limits{MaxDepth: 2})
	var le *saml.LimitError
	fmt.Println(errors.As(err, &le), le.Limit, le.Max)

	doc, err := saml.ParseXML([]byte(`<x:a xmlns:x="urn:x">ok</x:a>`), saml.Limits{})
	fmt.Println(err, doc.Root().NamespaceURI())
	// Output:
	// true
	// true MaxDepth 2
	// <nil> urn:x
}

func ExampleText() {
	doc, _ := saml.ParseXML([]byte(`<NameID>admin@example.hr<!---->.evil.example</NameID>`), saml.Limits{})
	v, err := saml.Text(doc.Root())
	fmt.Println(v, err)

	// Text never returns a prefix of the content: an element child makes the
	// value unreadable instead.
	doc, _ = saml.ParseXML([]byte(`<NameID>admin@example.hr<b/>.evil.example</NameID>`), saml.Limits{})
	fmt.Printf("etree Element.Text: %q\n", doc.Root().Text())
	_, err = saml.Text(doc.Root())
	fmt.Println(errors.Is(err, saml.ErrNotText))
	// Output:
	// admin@example.hr.evil.example <nil>
	// etree Element.Text: "admin@example.hr"
	// true
}

func ExampleAuthnRequest_Element() {
	id, _ := saml.NewID(bytes.NewReader(make([]byte, saml.IDBytes))) // use nil (crypto/rand) in production
	req := &saml.AuthnRequest{
		ID:                          id,
		IssueInstant:                time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC),
		Destination:                 "https://nias.gov.hr/sso-http",
		Issuer:                      &saml.NameID{Value: "https://eusluga.example.hr", Format: saml.NameIDFormatEntity},
		ProtocolBinding:             saml.BindingHTTPPOST,
		AssertionConsumerServiceURL: "https://eusluga.example.hr/saml/acs",
		NameIDPolicy:                &saml.NameIDPolicy{Format: saml.NameIDFormatPersistent, AllowCreate: true},
		RequestedAuthnContext: &saml.RequestedAuthnContext{
			Comparison: saml.ComparisonMinimum,
			ClassRefs:  []string{"http://eidas.europa.eu/LoA/substantial"},
		},
	}
	doc := etree.NewDocumentWithRoot(req.Element())
	doc.Indent(2)
	s, _ := doc.WriteToString()
	fmt.Print(s)
	// Output:
	// <samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_0000000000000000000000000000000000000000" Version="2.0" IssueInstant="2026-11-22T03:00:00.000Z" Destination="https://nias.gov.hr/sso-http" ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" AssertionConsumerServiceURL="https://eusluga.example.hr/saml/acs">
	//   <saml:Issuer Format="urn:oasis:names:tc:SAML:2.0:nameid-format:entity">https://eusluga.example.hr</saml:Issuer>
	//   <samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:2.0:nameid-format:persistent" AllowCreate="true"/>
	//   <samlp:RequestedAuthnContext Comparison="minimum">
	//     <saml:AuthnContextClassRef>http://eidas.europa.eu/LoA/substantial</saml:AuthnContextClassRef>
	//   </samlp:RequestedAuthnContext>
	// </samlp:AuthnRequest>
}

func ExampleParseResponseBytes() {
	in := []byte(`<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion"
  ID="_r" InResponseTo="_a" Version="2.0" IssueInstant="2026-11-22T03:00:01Z">
  <saml:Issuer>https://nias.gov.hr</saml:Issuer>
  <samlp:Status>
    <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Responder">
      <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:RequestDenied"/>
    </samlp:StatusCode>
    <samlp:StatusMessage>user cancelled</samlp:StatusMessage>
  </samlp:Status>
</samlp:Response>`)
	resp, err := saml.ParseResponseBytes(in, saml.Limits{})
	if err != nil {
		fmt.Println(err)
		return
	}
	err = resp.Err()
	fmt.Println(resp.InResponseTo, errors.Is(err, saml.ErrStatusRequestDenied), errors.Is(err, saml.ErrStatusAuthnFailed))
	var se *saml.StatusError
	if errors.As(err, &se) {
		fmt.Println(se.Message)
	}
	// Output:
	// _a true false
	// user cancelled
}

func ExampleParseAuthnRequestBytes() {
	in := []byte(`<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ID="_a" Version="1.1" IssueInstant="2026-11-22T03:00:00Z"/>`)
	_, err := saml.ParseAuthnRequestBytes(in, saml.Limits{})
	var fe *saml.FieldError
	fmt.Println(errors.Is(err, saml.ErrVersion), errors.As(err, &fe), fe.Element, fe.Field)
	// Answer with the status a version mismatch calls for.
	st := saml.NewStatusError(saml.StatusVersionMismatch, "", "").Status()
	fmt.Println(st.Code)
	// Output:
	// true true AuthnRequest Version
	// urn:oasis:names:tc:SAML:2.0:status:VersionMismatch
}

func ExampleLogoutResponse_Element() {
	resp := &saml.LogoutResponse{StatusResponse: saml.StatusResponse{
		ID:           "_lr",
		InResponseTo: "_l",
		IssueInstant: time.Date(2026, 11, 22, 3, 0, 0, 0, time.UTC),
		Issuer:       &saml.NameID{Value: "https://broker.example.hr"},
		// The broker's own session ended, but one e-service was unreachable
		// (spec-digest §5.4).
		Status: &saml.Status{Code: saml.StatusSuccess, SubCode: saml.StatusPartialLogout},
	}}
	doc := etree.NewDocumentWithRoot(resp.Element())
	doc.Indent(2)
	s, _ := doc.WriteToString()
	fmt.Print(s)
	// Output:
	// <samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_lr" InResponseTo="_l" Version="2.0" IssueInstant="2026-11-22T03:00:00.000Z">
	//   <saml:Issuer>https://broker.example.hr</saml:Issuer>
	//   <samlp:Status>
	//     <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success">
	//       <samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:PartialLogout"/>
	//     </samlp:StatusCode>
	//   </samlp:Status>
	// </samlp:LogoutResponse>
}

func ExampleNewID() {
	id, err := saml.NewID(nil) // crypto/rand
	fmt.Println(err, len(id), id[0] == '_')
	// Output: <nil> 41 true
}
