package eserviceapp

import "errors"

var (
	// ErrConfig reports unusable flags or Config fields; the message names
	// the field.
	ErrConfig = errors.New("eservice: invalid configuration")
	// ErrDataDir reports a data directory whose files cannot be read or
	// created.
	ErrDataDir = errors.New("eservice: data directory unusable")
	// ErrCertMissing reports that the issuer's certificate file, which
	// anchors trust in its metadata, does not exist (yet).
	ErrCertMissing = errors.New("eservice: issuer certificate file not found")
)
