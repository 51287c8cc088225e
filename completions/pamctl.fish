# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pamctl_global_optspecs
    string join \n server= token= profile= o/output= no-color insecure ca-cert= v/verbose h/help V/version
end

function __fish_pamctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_pamctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_pamctl_using_subcommand
    set -l cmd (__fish_pamctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c pamctl -n "__fish_pamctl_needs_command" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_needs_command" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_needs_command" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_needs_command" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_needs_command" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_needs_command" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_needs_command" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_needs_command" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_needs_command" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "server" -d 'Run the broker: the REST API, the session engine and its store'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "login" -d 'Sign in to a server and save the login as a profile'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "logout" -d 'Sign out: revoke the token and forget it'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "whoami" -d 'Show who the current token belongs to'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "activity" -d 'Activities you may request'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "resource" -d 'Managed resources (hosts, databases) you may request activities on'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "hash-secret" -d 'Hash a password or API key (read from stdin) for the server\'s configuration file'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "generate-assets" -d 'Regenerate the committed completions/ and man/ (for developers)'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l data-dir -d 'Where the database and dev files live (default: the XDG data dir, ~/.local/share/pamctl)' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l database -d 'Database URL, sqlite://PATH (default: pamctl.db in the data dir)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l config -d 'Configuration file: users, applications, activities, resources, policies (see examples/pamctl.toml)' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l log-format -d 'Log format on stderr' -r -f -a "text\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l tls-cert -d 'Serve HTTPS with this certificate chain (PEM)' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l tls-key -d 'The private key (PEM) for --tls-cert' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l dev -d 'Seed demo data and sign the local CLI in as admin (profile \'dev\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l allow-plain-http -d 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l user -d 'The user (or application) name; asked for on a terminal when missing' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l mfa-code -d 'The current code from your authenticator app, for accounts with MFA' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l password-stdin -d 'Read the password from stdin (one line) instead of asking for it'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l api-key-stdin -d 'Sign in as an application: read its API key from stdin'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List the activities you may request (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l search -d 'Only activities whose name, description or platform contains TEXT (any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the activities you may request (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List the resources you may request activities on (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l activity -d 'Only the resources this activity (name or id) may be requested on' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l search -d 'Only resources whose name, display name, platform or address contains TEXT' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the resources you may request activities on (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l dir -d 'The repository root to write completions/ and man/ under' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s o -l output -d 'Output format' -r -f -a "table\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l no-color -d 'Plain output without colour (automatic when stdout is not a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s h -l help -d 'Print help'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "server" -d 'Run the broker: the REST API, the session engine and its store'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "login" -d 'Sign in to a server and save the login as a profile'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "logout" -d 'Sign out: revoke the token and forget it'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "whoami" -d 'Show who the current token belongs to'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "activity" -d 'Activities you may request'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "resource" -d 'Managed resources (hosts, databases) you may request activities on'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "completions" -d 'Print a shell completion script'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "hash-secret" -d 'Hash a password or API key (read from stdin) for the server\'s configuration file'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "generate-assets" -d 'Regenerate the committed completions/ and man/ (for developers)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource completions hash-secret generate-assets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from activity" -f -a "list" -d 'List the activities you may request (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from resource" -f -a "list" -d 'List the resources you may request activities on (admins see all)'
