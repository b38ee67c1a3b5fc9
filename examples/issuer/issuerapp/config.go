package issuerapp

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"time"
)

// Defaults of the command-line flags.
const (
	DefaultAddr          = "127.0.0.1:8444"
	DefaultDataDir       = "eidkit-data/issuer"
	DefaultSPMetadataURL = "http://127.0.0.1:8443/saml/metadata"
	DefaultSPCertFile    = "eidkit-data/eservice/eservice-signing.crt"
	// DefaultRetryInterval is how often the e-service metadata is tried
	// until it has been loaded once.
	DefaultRetryInterval = 2 * time.Second
)

// KeyName is the name of the issuer's key pair in its data directory
// (<name>.key and <name>.crt, internal/devcert).
const KeyName = "issuer-signing"

// Config configures the demo issuer. It is plain data; Serve validates it
// and never changes it. Run fills it from flags.
type Config struct {
	// Addr is the loopback address to listen on; ignored when Listener is
	// set. Empty means DefaultAddr.
	Addr string
	// Listener, when set, is served instead of listening on Addr (tests
	// use it to pick ephemeral ports before either example starts). It
	// must be on loopback.
	Listener net.Listener
	// DataDir keeps the key pair, ivan's TOTP secret and the persistent
	// NameID key; created on first run. Required.
	DataDir string
	// SPMetadataURL is where the e-service publishes its metadata: an
	// http URL on loopback (or https). Required.
	SPMetadataURL string
	// SPCertFile is the e-service's certificate (in its data directory);
	// its metadata must be signed with that key. Until the file exists the
	// metadata is not trusted, unless AllowUnsignedMetadata.
	SPCertFile string
	// AllowUnsignedMetadata accepts the e-service metadata without a
	// verified signature when SPCertFile does not exist. RISK: anyone who
	// can answer at SPMetadataURL (any local process, on loopback) becomes
	// a trusted e-service with keys and endpoints of their choosing.
	AllowUnsignedMetadata bool
	// ShowCodes prints ivan's current one-time code to Stdout when the code
	// form is shown, standing in for an authenticator app (demo only).
	ShowCodes bool
	// RetryInterval is how often the e-service metadata is tried until it
	// loads; zero means DefaultRetryInterval.
	RetryInterval time.Duration
	// Stdout receives the start-up banner, notes and logs; nil discards.
	Stdout io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Rand is the source of keys, handles and tokens; nil means
	// crypto/rand.
	Rand io.Reader
}

// Validate reports every problem of c, joined; each wraps ErrConfig and
// names the flag.
func (c *Config) Validate() error {
	var errs []error
	if c.Listener == nil && c.Addr != "" {
		if err := checkLoopbackAddr(c.Addr); err != nil {
			errs = append(errs, err)
		}
	}
	if c.DataDir == "" {
		errs = append(errs, fmt.Errorf("%w: -data: required", ErrConfig))
	}
	if err := checkMetadataURL(c.SPMetadataURL); err != nil {
		errs = append(errs, fmt.Errorf("%w: -sp-metadata: %w", ErrConfig, err))
	}
	if c.RetryInterval < 0 {
		errs = append(errs, fmt.Errorf("%w: RetryInterval: must not be negative", ErrConfig))
	}
	return errors.Join(errs...)
}

// checkMetadataURL accepts https URLs and http URLs on loopback.
func checkMetadataURL(s string) error {
	u, err := url.Parse(s)
	switch {
	case s == "":
		return errors.New("required")
	case err != nil:
		return err
	case u.Scheme == "https" && u.Host != "":
		return nil
	case u.Scheme == "http" && isLoopback(u.Hostname()):
		return nil
	}
	return fmt.Errorf("%q: want https, or http on a loopback host", s)
}

// ParseArgs reads the command-line flags into a Config. Usage goes to
// stdout; -h returns flag.ErrHelp.
func ParseArgs(args []string, stdout io.Writer) (Config, error) {
	fs := flag.NewFlagSet("issuer", flag.ContinueOnError)
	fs.SetOutput(stdout)
	var c Config
	fs.StringVar(&c.Addr, "addr", DefaultAddr, "loopback `address` to listen on (plain HTTP)")
	fs.StringVar(&c.DataDir, "data", DefaultDataDir, "`directory` for keys and secrets (created on first run)")
	fs.StringVar(&c.SPMetadataURL, "sp-metadata", DefaultSPMetadataURL, "`URL` of the e-service metadata")
	fs.StringVar(&c.SPCertFile, "sp-cert", DefaultSPCertFile, "e-service certificate `file` that must have signed its metadata")
	fs.BoolVar(&c.AllowUnsignedMetadata, "allow-unsigned-metadata", false,
		"accept unsigned e-service metadata when -sp-cert does not exist (RISK: any local process can pose as the e-service)")
	fs.BoolVar(&c.ShowCodes, "show-codes", false, "print ivan's current one-time code on the console (demo stand-in for an authenticator app)")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("%w: unexpected argument %q", ErrConfig, fs.Arg(0))
	}
	return c, nil
}
