package dsig_test

import (
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/beevik/etree"
	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/dsig"
	"github.com/eidkit/eidkit/saml/samltest"
)

const exampleAssertion = `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_a1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z"><saml:Issuer>https://idp.example.hr</saml:Issuer><saml:Subject><saml:NameID>12345678903</saml:NameID></saml:Subject></saml:Assertion>`

func ExampleSigner_Sign() {
	kp, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(exampleAssertion); err != nil {
		panic(err)
	}
	s := &dsig.Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}}
	if err := s.Sign(doc.Root()); err != nil {
		panic(err)
	}
	for _, c := range doc.Root().ChildElements() {
		fmt.Println(c.FullTag())
	}
	fmt.Println(doc.Root().FindElement("./Signature/SignedInfo/SignatureMethod").SelectAttrValue("Algorithm", ""))
	// Output:
	// saml:Issuer
	// ds:Signature
	// saml:Subject
	// http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256
}

func ExampleVerifier_Verify() {
	// The IdP signs ...
	kp, err := samltest.GenerateKeyPair(samltest.RSA3072, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromString(exampleAssertion); err != nil {
		panic(err)
	}
	signer := &dsig.Signer{Key: kp.Key, Certificates: []*x509.Certificate{kp.Certificate}, Method: dsig.RSAPSSSHA256}
	if err := signer.Sign(doc.Root()); err != nil {
		panic(err)
	}
	doc.WriteSettings.CanonicalText, doc.WriteSettings.CanonicalAttrVal = true, true
	wire, err := doc.WriteToBytes()
	if err != nil {
		panic(err)
	}

	// ... and the SP verifies with the certificate from the IdP's metadata.
	received, err := saml.ParseXML(wire, saml.Limits{})
	if err != nil {
		panic(err)
	}
	v := &dsig.Verifier{Certificates: []*x509.Certificate{kp.Certificate}, Policy: dsig.EIDASPolicy()}
	cert, err := v.Verify(received.Root())
	fmt.Println(cert == kp.Certificate, err)

	// Signed content is read from the verified element only, with saml.Text.
	nameID, err := saml.Text(received.Root().FindElement("./Subject/NameID"))
	fmt.Println(nameID, err)

	// Tampering is detected.
	received.Root().FindElement("./Subject/NameID").SetText("00000000001")
	_, err = v.Verify(received.Root())
	fmt.Println(errors.Is(err, dsig.ErrBadSignature))
	// Output:
	// true <nil>
	// 12345678903 <nil>
	// true
}

func ExampleSignBytes() {
	kp, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	// The HTTP-Redirect binding signs the raw query string.
	query := []byte("SAMLRequest=fZBBa8MwDIX%2F&RelayState=abc&SigAlg=" + "http%3A%2F%2Fwww.w3.org%2F2001%2F04%2Fxmldsig-more%23ecdsa-sha256")
	sig, err := dsig.SignBytes(kp.Key, dsig.ECDSASHA256, query)
	if err != nil {
		panic(err)
	}
	fmt.Println(len(sig)) // r||s, 32 bytes each
	fmt.Println(dsig.VerifyBytes(kp.Certificate.PublicKey, dsig.ECDSASHA256, query, sig, dsig.Policy{}))
	err = dsig.VerifyBytes(kp.Certificate.PublicKey, dsig.RSASHA1, query, sig, dsig.Policy{})
	fmt.Println(errors.Is(err, dsig.ErrUnsupportedAlgorithm))
	// Output:
	// 64
	// <nil>
	// true
}
