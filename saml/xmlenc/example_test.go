package xmlenc_test

import (
	"crypto"
	"crypto/ecdsa"
	"errors"
	"fmt"

	"github.com/eidkit/eidkit/saml"
	"github.com/eidkit/eidkit/saml/samltest"
	"github.com/eidkit/eidkit/saml/xmlenc"
)

const exampleResponse = `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" ` +
	`xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">` +
	`<saml:Assertion ID="_a1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">` +
	`<saml:Issuer>https://nias.gov.hr</saml:Issuer>` +
	`<saml:Subject><saml:NameID>12345678903</saml:NameID></saml:Subject></saml:Assertion></samlp:Response>`

// The identity provider encrypts the assertion for the e-service, with the
// encryption certificate from the e-service's metadata, and puts the
// EncryptedAssertion where the assertion was.
func ExampleEncrypter_EncryptAssertion() {
	sp, err := samltest.GenerateKeyPair(samltest.RSA3072, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	doc, err := saml.ParseXML([]byte(exampleResponse), saml.Limits{})
	if err != nil {
		panic(err)
	}
	assertion := doc.Root().SelectElement("saml:Assertion")

	enc := xmlenc.Encrypter{Certificate: sp.Certificate} // eIDAS defaults
	ea, err := enc.EncryptAssertion(assertion)
	if err != nil {
		panic(err)
	}
	doc.Root().InsertChildAt(assertion.Index(), ea)
	doc.Root().RemoveChild(assertion)

	for _, em := range doc.FindElements("//EncryptionMethod") {
		fmt.Println(em.SelectAttrValue("Algorithm", ""))
		for _, p := range em.ChildElements() {
			fmt.Println(" ", p.Tag, p.SelectAttrValue("Algorithm", ""))
		}
	}
	// Output:
	// http://www.w3.org/2009/xmlenc11#aes256-gcm
	// http://www.w3.org/2009/xmlenc11#rsa-oaep
	//   DigestMethod http://www.w3.org/2001/04/xmlenc#sha256
	//   MGF http://www.w3.org/2009/xmlenc11#mgf1sha256
}

// Encrypt works on any element: here the NameID of a LogoutRequest becomes
// an EncryptedID (SAML core §3.7.1) for a partner whose metadata publishes
// an EC encryption certificate, so the session key travels by ECDH-ES.
func ExampleEncrypter_Encrypt() {
	partner, err := samltest.GenerateKeyPair(samltest.P256, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	doc, err := saml.ParseXML([]byte(`<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" `+
		`xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_l1" Version="2.0" IssueInstant="2026-11-22T03:00:00Z">`+
		`<saml:NameID>tid-7f3a</saml:NameID></samlp:LogoutRequest>`), saml.Limits{})
	if err != nil {
		panic(err)
	}
	nameID := doc.Root().SelectElement("saml:NameID")
	ed, err := (&xmlenc.Encrypter{Certificate: partner.Certificate}).Encrypt(nameID)
	if err != nil {
		panic(err)
	}
	eid := doc.Root().CreateElement("saml:EncryptedID")
	eid.AddChild(ed)
	doc.Root().RemoveChild(nameID)

	fmt.Println(eid.FindElement("EncryptedData/EncryptionMethod").SelectAttrValue("Algorithm", ""))
	fmt.Println(eid.FindElement("//EncryptedKey/EncryptionMethod").SelectAttrValue("Algorithm", ""))
	fmt.Println(eid.FindElement("//AgreementMethod").SelectAttrValue("Algorithm", ""))

	dec := xmlenc.Decrypter{ECKeys: []*ecdsa.PrivateKey{partner.Key.(*ecdsa.PrivateKey)}}
	back, err := dec.Decrypt(eid)
	if err != nil {
		panic(err)
	}
	text, err := saml.Text(back)
	if err != nil {
		panic(err)
	}
	fmt.Println(back.Tag, text)
	// Output:
	// http://www.w3.org/2009/xmlenc11#aes256-gcm
	// http://www.w3.org/2001/04/xmlenc#kw-aes256
	// http://www.w3.org/2009/xmlenc11#ECDH-ES
	// NameID tid-7f3a
}

// The e-service decrypts the EncryptedAssertion of a received Response with
// its own key; during a key rollover it lists both keys.
func ExampleDecrypter_Decrypt() {
	sp, err := samltest.GenerateKeyPair(samltest.RSA2048, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	received := encryptedResponse(sp)

	doc, err := saml.ParseXML(received, saml.Limits{})
	if err != nil {
		panic(err)
	}
	dec := xmlenc.Decrypter{Keys: []crypto.Decrypter{sp.Decrypter()}}
	assertion, err := dec.Decrypt(doc.Root().SelectElement("saml:EncryptedAssertion"))
	if err != nil {
		panic(err)
	}
	nameID, err := saml.Text(assertion.FindElement("Subject/NameID"))
	if err != nil {
		panic(err)
	}
	fmt.Println(assertion.Tag, assertion.SelectAttrValue("ID", ""), nameID)

	// Another party's key cannot open it, and the error says no more.
	other, err := samltest.GenerateKeyPair(samltest.RSA2048, samltest.CertOptions{})
	if err != nil {
		panic(err)
	}
	_, err = (&xmlenc.Decrypter{Keys: []crypto.Decrypter{other.Decrypter()}}).Decrypt(doc.Root().SelectElement("saml:EncryptedAssertion"))
	fmt.Println(errors.Is(err, xmlenc.ErrDecrypt), err)
	// Output:
	// Assertion _a1 12345678903
	// true xmlenc: decryption failed
}

// encryptedResponse plays the identity provider for the example.
func encryptedResponse(sp *samltest.KeyPair) []byte {
	doc, err := saml.ParseXML([]byte(exampleResponse), saml.Limits{})
	if err != nil {
		panic(err)
	}
	a := doc.Root().SelectElement("saml:Assertion")
	ea, err := (&xmlenc.Encrypter{Certificate: sp.Certificate}).EncryptAssertion(a)
	if err != nil {
		panic(err)
	}
	doc.Root().InsertChildAt(a.Index(), ea)
	doc.Root().RemoveChild(a)
	b, err := doc.WriteToBytes()
	if err != nil {
		panic(err)
	}
	return b
}
