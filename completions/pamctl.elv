
use builtin;
use str;

set edit:completion:arg-completer[pamctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'pamctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'pamctl'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand server 'Run the broker: the REST API, the session engine and its store'
            cand login 'Sign in to a server and save the login as a profile'
            cand logout 'Sign out: revoke the token and forget it'
            cand whoami 'Show who the current token belongs to'
            cand activity 'Activities you may request'
            cand resource 'Managed resources (hosts, databases) you may request activities on'
            cand completions 'Print a shell completion script'
            cand hash-secret 'Hash a password or API key (read from stdin) for the server''s configuration file'
            cand generate-assets 'Regenerate the committed completions/ and man/ (for developers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;server'= {
            cand --listen 'Address to listen on (port 0 picks a free port)'
            cand --data-dir 'Where the database and dev files live (default: the XDG data dir, ~/.local/share/pamctl)'
            cand --database 'Database URL, sqlite://PATH (default: pamctl.db in the data dir)'
            cand --config 'Configuration file: users, applications, activities, resources, policies (see examples/pamctl.toml)'
            cand --log-format 'Log format on stderr'
            cand --tls-cert 'Serve HTTPS with this certificate chain (PEM)'
            cand --tls-key 'The private key (PEM) for --tls-cert'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --dev 'Seed demo data and sign the local CLI in as admin (profile ''dev'')'
            cand --allow-plain-http 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;login'= {
            cand --user 'The user (or application) name; asked for on a terminal when missing'
            cand --mfa-code 'The current code from your authenticator app, for accounts with MFA'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --password-stdin 'Read the password from stdin (one line) instead of asking for it'
            cand --api-key-stdin 'Sign in as an application: read its API key from stdin'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;logout'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;whoami'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;activity'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the activities you may request (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;activity;list'= {
            cand --search 'Only activities whose name, description or platform contains TEXT (any case)'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;activity;help'= {
            cand list 'List the activities you may request (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;activity;help;list'= {
        }
        &'pamctl;activity;help;help'= {
        }
        &'pamctl;resource'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
            cand list 'List the resources you may request activities on (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;resource;list'= {
            cand --activity 'Only the resources this activity (name or id) may be requested on'
            cand --search 'Only resources whose name, display name, platform or address contains TEXT'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;resource;help'= {
            cand list 'List the resources you may request activities on (admins see all)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;resource;help;list'= {
        }
        &'pamctl;resource;help;help'= {
        }
        &'pamctl;completions'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;hash-secret'= {
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;generate-assets'= {
            cand --dir 'The repository root to write completions/ and man/ under'
            cand --server 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500'
            cand --token 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile'
            cand --profile 'Which saved login to use (default: the current one, set by the last login)'
            cand -o 'Output format'
            cand --output 'Output format'
            cand --ca-cert 'TLS: trust this CA certificate (PEM) for the server'
            cand --no-color 'Plain output without colour (automatic when stdout is not a terminal)'
            cand --insecure 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)'
            cand -v 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand --verbose 'Trace requests and responses on stderr (tokens and secrets masked)'
            cand -h 'Print help'
            cand --help 'Print help'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'pamctl;help'= {
            cand server 'Run the broker: the REST API, the session engine and its store'
            cand login 'Sign in to a server and save the login as a profile'
            cand logout 'Sign out: revoke the token and forget it'
            cand whoami 'Show who the current token belongs to'
            cand activity 'Activities you may request'
            cand resource 'Managed resources (hosts, databases) you may request activities on'
            cand completions 'Print a shell completion script'
            cand hash-secret 'Hash a password or API key (read from stdin) for the server''s configuration file'
            cand generate-assets 'Regenerate the committed completions/ and man/ (for developers)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'pamctl;help;server'= {
        }
        &'pamctl;help;login'= {
        }
        &'pamctl;help;logout'= {
        }
        &'pamctl;help;whoami'= {
        }
        &'pamctl;help;activity'= {
            cand list 'List the activities you may request (admins see all)'
        }
        &'pamctl;help;activity;list'= {
        }
        &'pamctl;help;resource'= {
            cand list 'List the resources you may request activities on (admins see all)'
        }
        &'pamctl;help;resource;list'= {
        }
        &'pamctl;help;completions'= {
        }
        &'pamctl;help;hash-secret'= {
        }
        &'pamctl;help;generate-assets'= {
        }
        &'pamctl;help;help'= {
        }
    ]
    $completions[$command]
}
