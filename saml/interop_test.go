package saml

import (
	"encoding/xml"
	"testing"
	"time"

	"github.com/beevik/etree"
	crewjam "github.com/crewjam/saml"
	"github.com/stretchr/testify/require"
)

// TestInteropCrewjamReadsOurs: crewjam/saml (an independent SAML stack, used
// only as a test peer) reads the messages we build with the same values (N2).
func TestInteropCrewjamReadsOurs(t *testing.T) {
	var resp crewjam.Response
	require.NoError(t, xml.Unmarshal(compact(t, sampleResponse().Element()), &resp))
	require.Equal(t, "_r1", resp.ID)
	require.Equal(t, "_a1", resp.InResponseTo)
	require.Equal(t, StatusSuccess, resp.Status.StatusCode.Value)
	a := resp.Assertion
	require.NotNil(t, a)
	require.Equal(t, idpEntity, a.Issuer.Value)
	require.Equal(t, "a7c1d1e6-1b1b-4e65-9f4e-4b6fb2a0c111", a.Subject.NameID.Value)
	require.Equal(t, acsURL, a.Subject.SubjectConfirmations[0].SubjectConfirmationData.Recipient)
	require.True(t, a.Subject.SubjectConfirmations[0].SubjectConfirmationData.NotOnOrAfter.Equal(t0.Add(5*time.Minute)))
	require.Equal(t, spEntity, a.Conditions.AudienceRestrictions[0].Audience.Value)
	require.Equal(t, "_s1", a.AuthnStatements[0].SessionIndex)
	require.Equal(t, eidasLoAH, a.AuthnStatements[0].AuthnContext.AuthnContextClassRef.Value)
	attrs := a.AttributeStatements[0].Attributes
	require.Len(t, attrs, 6)
	require.Equal(t, "oib", attrs[0].Name)
	require.Equal(t, "12345678903", attrs[0].Values[0].Value)
	require.Equal(t, "Papadopoulos", attrs[3].Values[1].Value)

	var req crewjam.AuthnRequest
	require.NoError(t, xml.Unmarshal(compact(t, sampleAuthnRequest(t).Element()), &req))
	require.Equal(t, "_a1", req.ID)
	require.Equal(t, spEntity, req.Issuer.Value)
	require.Equal(t, acsURL, req.AssertionConsumerServiceURL)
	require.Equal(t, NameIDFormatPersistent, *req.NameIDPolicy.Format)
	require.Equal(t, "minimum", req.RequestedAuthnContext.Comparison)
}

// TestInteropWeReadCrewjam: we parse what crewjam/saml builds.
func TestInteropWeReadCrewjam(t *testing.T) {
	format := NameIDFormatTransient
	yes := true
	creq := crewjam.AuthnRequest{ID: "_c1", Version: "2.0", IssueInstant: t0, Destination: ssoURL,
		Issuer:                      &crewjam.Issuer{Format: NameIDFormatEntity, Value: "https://sp.example"},
		NameIDPolicy:                &crewjam.NameIDPolicy{Format: &format, AllowCreate: &yes},
		AssertionConsumerServiceURL: acsURL, ProtocolBinding: BindingHTTPPOST, ForceAuthn: &yes}
	req, err := ParseAuthnRequestBytes(compact(t, creq.Element()), Limits{})
	require.NoError(t, err)
	require.Equal(t, "_c1", req.ID)
	require.Equal(t, "https://sp.example", req.Issuer.Value)
	require.Equal(t, &NameIDPolicy{Format: NameIDFormatTransient, AllowCreate: true}, req.NameIDPolicy)
	require.True(t, req.ForceAuthn)
	require.Equal(t, t0, req.IssueInstant)

	cresp := crewjam.Response{ID: "_c2", InResponseTo: "_c1", Version: "2.0", IssueInstant: t0, Destination: acsURL,
		Issuer: &crewjam.Issuer{Value: idpEntity},
		Status: crewjam.Status{StatusCode: crewjam.StatusCode{Value: StatusResponder,
			StatusCode: &crewjam.StatusCode{Value: StatusAuthnFailed}}},
		Assertion: &crewjam.Assertion{ID: "_c3", IssueInstant: t0, Version: "2.0", Issuer: crewjam.Issuer{Value: idpEntity},
			Subject: &crewjam.Subject{NameID: &crewjam.NameID{Value: "user-1", Format: NameIDFormatPersistent}},
			AttributeStatements: []crewjam.AttributeStatement{{Attributes: []crewjam.Attribute{{Name: "oib",
				Values: []crewjam.AttributeValue{{Type: "xs:string", Value: "12345678903"}}}}}}}}
	el := cresp.Element()
	resp, err := ParseResponseBytes(compact(t, etree.NewDocumentWithRoot(el).Root()), Limits{})
	require.NoError(t, err)
	require.ErrorIs(t, resp.Err(), ErrStatusAuthnFailed)
	require.Len(t, resp.Assertions, 1)
	require.Equal(t, "user-1", resp.Assertions[0].Subject.NameID.Value)
	v := resp.Assertions[0].AttributeStatements[0].Attributes[0].Values[0]
	require.Equal(t, "12345678903", v.Value)
	require.Equal(t, xml.Name{Space: NSXS, Local: "string"}, v.Type)
}
