# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_pamctl_global_optspecs
    string join \n server= token= profile= o/output= no-color utc insecure ca-cert= v/verbose h/help V/version
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
complete -c pamctl -n "__fish_pamctl_needs_command" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_needs_command" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_needs_command" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_needs_command" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_needs_command" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_needs_command" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_needs_command" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "server" -d 'Run the broker: the REST API, the session engine and its store'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "login" -d 'Sign in to a server and save the login as a profile'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "logout" -d 'Sign out: revoke the token and forget it'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "whoami" -d 'Show who the current token belongs to'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "activity" -d 'Activities you may request'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "resource" -d 'Managed resources (hosts, databases) you may request activities on'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "session" -d 'Activity sessions: request, list, wait for, extend, lock, end, and read their logs'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "approval" -d 'Approvals: list the requests waiting for your decision, approve or deny them'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "token" -d 'Bearer tokens (admins): list the live ones, revoke them by ID or by user'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "audit" -d 'The tamper-evident audit trail: list it (admins), verify its hash chain offline'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "profile" -d 'Saved logins: list them, pick the current one, show one'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "completions" -d 'Print a static shell completion script (see also `COMPLETE=bash pamctl`)'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "man" -d 'Write the man pages (pamctl.1 and one per command) into a directory'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "hash-secret" -d 'Hash a password or API key (read from stdin) for the server\'s configuration file'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "generate-assets" -d 'Regenerate the committed completions/ and man/ (for developers)'
complete -c pamctl -n "__fish_pamctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l data-dir -d 'Where the database and dev files live (default: the XDG data dir, ~/.local/share/pamctl)' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l database -d 'Database URL: sqlite://PATH or postgres://USER@HOST:PORT/DATABASE (default: database.url in the configuration, else pamctl.db in the data dir)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l database-password -d 'Where the PostgreSQL password is: file:PATH (its first line) or env:NAME (default: database.password in the configuration)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l config -d 'Configuration file: users, applications, activities, resources, policies (see examples/pamctl.toml)' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l dev-postgres -d 'With --dev: make db01 a real PostgreSQL target at this URL (postgres://USER@HOST:PORT/DATABASE; admin password in $PAMCTL_DEV_POSTGRES_PASSWORD)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l log-format -d 'Log format on stderr' -r -f -a "text\t''
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l tls-cert -d 'Serve HTTPS with this certificate chain (PEM)' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l tls-key -d 'The private key (PEM) for --tls-cert' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l dev -d 'Seed demo data and sign the local CLI in as admin (profile \'dev\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l manual-clock -d 'For tests: the broker\'s clock stands still until an admin moves it with POST /api/v1/Test/Clock'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l allow-plain-http -d 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand server" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l user -d 'The user (or application) name; without it a login with no --server signs in again as the profile\'s user, and otherwise it is asked for on a terminal' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l mfa-code -d 'The current code from your authenticator app, for accounts with MFA' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l password-stdin -d 'Read the password from stdin (one line) instead of asking for it'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l api-key-stdin -d 'Sign in as an application: read its API key from stdin'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l keep-current -d 'Save the profile without making it the current one (when there is a current one)'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand login" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand logout" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand whoami" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List the activities you may request (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l search -d 'Only activities whose name, description or platform contains TEXT (any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s q -l ids -d 'Print only the full IDs, one per line (for scripts)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the activities you may request (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand activity; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -f -a "list" -d 'List the resources you may request activities on (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and not __fish_seen_subcommand_from list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l activity -d 'Only the resources this activity (name or id) may be requested on' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l search -d 'Only resources whose name, display name, platform or address contains TEXT' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s q -l ids -d 'Print only the full IDs, one per line (for scripts)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the resources you may request activities on (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand resource; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "create" -d 'Request an activity on one or more resources'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "list" -d 'List sessions: those not finished yet, or with --history all of them'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "show" -d 'Show one session in full'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "end" -d 'End sessions: before they are Available they become Cancelled, after it Canceling'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "lock" -d 'Lock sessions (admins): they stay active, but the user may not work in them'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "unlock" -d 'Unlock locked sessions (admins)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "extend" -d 'Move a session\'s end time later, where its policy allows extension'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "logs" -d 'Print a session\'s log: every transition, action run, lock, extension and end'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "resolve" -d 'Close a session whose end action keeps failing (admins only), once the access is gone'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "share" -d 'Let other users read a session: its details, log and activity log'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "wait" -d 'Wait until a session is available, logged in or complete'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "password" -d 'Print the password of your live database session (or copy it with --copy)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "connect" -d 'Open psql (or $PAMCTL_PSQL) on your live database session as its role'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "exec" -d 'Run a SQL statement in your live database session, as its role, and show the result'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "activity" -d 'Show a session\'s activity log: the statements run in it through the broker'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "rerun" -d 'Run a statement of the activity log again in your live session'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and not __fish_seen_subcommand_from create list show end lock unlock extend logs resolve share wait password connect exec activity rerun help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l activity -d 'The activity to request (name or ID), as `pamctl activity list` shows' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l resource -d 'A resource to request it on (name or ID); repeat for a session group' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l note -l reason -d 'Why you need it (shown to approvers and in the session log)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l ticket -d 'A change or incident ticket to record with the session' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l start -d 'When to start: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or +DUR [default: now]' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l duration -d 'How long it lasts from its start: 90s, 30m, 2h, 1h30m [default: the policy maximum]' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l end -d 'When it ends (same forms as --start)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l wait-timeout -d 'With --wait: give up after this long (exit 7) [default: no limit]' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l wait -d 'Wait until every session is Available (or Logged In), through approval, printing state changes and approvals on stderr (a spinner on a terminal); exit 6 if one ends otherwise'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -s i -l interactive -d 'Ask for everything in a wizard (needs a terminal); --activity, --resource, --note and --ticket fill in its first answers, --wait skips its last question'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l status -d 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l user -d 'Only the sessions of this user (user name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l resource -d 'Only sessions on this resource (name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l activity -d 'Only sessions of this activity (name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l type -d 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform\'s name (PostgreSQL, "Microsoft SQL Server", ...), any case' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l since -d 'Only sessions whose time span reaches past WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l until -d 'Only sessions whose time span begins before WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l search -d 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l sort -d 'Sort by this column, ascending unless --desc [default: newest request first]' -r -f -a "id\t''
status\t''
requested\t''
user\t''
host\t''
login-account\t''
activity\t''
start\t''
end\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l limit -d 'Show at most N sessions; 0 shows all. The table (and JSON on a terminal) shows 50 unless told; -q, and JSON into a pipe or file, give every match unless told' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l watch -d 'Redraw the table every SECS seconds on a terminal until Ctrl-C' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l mine -d 'Only your own sessions'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l history -d 'Include finished sessions (Complete, Failed, Cancelled, Denied, Approval Failed)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l desc -d 'Sort in descending order'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l asc -d 'Sort in ascending order (with no --sort: oldest request first)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -s q -l ids -d 'Print only the full IDs of every match, one per line (to pipe into `session end -`)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l status -d 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l user -d 'Only the sessions of this user (user name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l resource -d 'Only sessions on this resource (name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l activity -d 'Only sessions of this activity (name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l type -d 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform\'s name (PostgreSQL, "Microsoft SQL Server", ...), any case' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l since -d 'Only sessions whose time span reaches past WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l until -d 'Only sessions whose time span begins before WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l search -d 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l mine -d 'Only your own sessions'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -s y -l yes -d 'Act on every session the filters match without asking (needed off a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l dry-run -d 'Print what would be acted on, and do nothing'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from end" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l status -d 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l user -d 'Only the sessions of this user (user name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l resource -d 'Only sessions on this resource (name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l activity -d 'Only sessions of this activity (name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l type -d 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform\'s name (PostgreSQL, "Microsoft SQL Server", ...), any case' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l since -d 'Only sessions whose time span reaches past WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l until -d 'Only sessions whose time span begins before WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l search -d 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l title -d 'A short reason, shown to the user and in the session log' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l message -d 'A longer explanation' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l mine -d 'Only your own sessions'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -s y -l yes -d 'Act on every session the filters match without asking (needed off a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l dry-run -d 'Print what would be acted on, and do nothing'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from lock" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l status -d 'Only sessions in this state (repeatable), any case, spaces or dashes: available, "logged in", waiting-for-approval, scheduled, provisioning, locked, canceling, complete, failed, cancelled, denied, approval-failed' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l user -d 'Only the sessions of this user (user name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l resource -d 'Only sessions on this resource (name or display name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l activity -d 'Only sessions of this activity (name, any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l type -d 'Only sessions on resources of this platform: a category (database, linux, windows) or a platform\'s name (PostgreSQL, "Microsoft SQL Server", ...), any case' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l since -d 'Only sessions whose time span reaches past WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l until -d 'Only sessions whose time span begins before WHEN' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l search -d 'Only sessions whose user, resource, activity, note, ticket or status contains TEXT' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l mine -d 'Only your own sessions'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -s y -l yes -d 'Act on every session the filters match without asking (needed off a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l dry-run -d 'Print what would be acted on, and do nothing'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from unlock" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l by -d 'How much longer: 30m, 1h, 1h30m (rounded up to whole minutes)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from extend" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l level -d 'Only lines of this level and above' -r -f -a "debug\t''
info\t''
warning\t''
error\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l since -d 'Only lines from WHEN on: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l until -d 'Only lines up to WHEN: now, RFC 3339, "YYYY-MM-DD HH:MM" (local), or -DUR' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l search -d 'Only lines containing TEXT (any case)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l download -d 'Write the session\'s details, its log and its activity log (statements) to FILE instead of printing the log: JSON, or text for a name ending in .txt (the filters above apply to the log)' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -s f -l follow -d 'Keep printing new lines (checking every second) until the session is finished'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from logs" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l note -d 'What was done about the access (required; it goes to the session\'s log)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from resolve" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l with -d 'The user to share it with, by login name (repeat it for several)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from share" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l for -d 'What to wait for (Logged In also satisfies available)' -r -f -a "available\t''
logged-in\t''
complete\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l timeout -d 'Give up after this long (exit 7): 90s, 30m, 2h, 1h30m [default: no limit]' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from wait" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l copy -d 'Copy it to the clipboard (wl-copy, xclip, xsel or pbcopy) instead of printing it'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from password" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -s f -l file -d 'Read the statement from FILE' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l wait-timeout -d 'With --wait: give up after this long (exit 7) [default: no limit]' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l wait -d 'Follow a statement held for review until it is decided and has run'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from exec" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from activity" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l wait-timeout -d 'With --wait: give up after this long (exit 7) [default: no limit]' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l wait -d 'Follow a statement held for review until it is decided and has run'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from rerun" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "create" -d 'Request an activity on one or more resources'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "list" -d 'List sessions: those not finished yet, or with --history all of them'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one session in full'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "end" -d 'End sessions: before they are Available they become Cancelled, after it Canceling'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "lock" -d 'Lock sessions (admins): they stay active, but the user may not work in them'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "unlock" -d 'Unlock locked sessions (admins)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "extend" -d 'Move a session\'s end time later, where its policy allows extension'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "logs" -d 'Print a session\'s log: every transition, action run, lock, extension and end'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "resolve" -d 'Close a session whose end action keeps failing (admins only), once the access is gone'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "share" -d 'Let other users read a session: its details, log and activity log'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "wait" -d 'Wait until a session is available, logged in or complete'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "password" -d 'Print the password of your live database session (or copy it with --copy)'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Open psql (or $PAMCTL_PSQL) on your live database session as its role'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "exec" -d 'Run a SQL statement in your live database session, as its role, and show the result'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "activity" -d 'Show a session\'s activity log: the statements run in it through the broker'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "rerun" -d 'Run a statement of the activity log again in your live session'
complete -c pamctl -n "__fish_pamctl_using_subcommand session; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -f -a "list" -d 'List the requests waiting for your decision'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -f -a "approve" -d 'Approve requests waiting for your decision'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -f -a "deny" -d 'Deny requests waiting for your decision: they end as Denied, with your reason'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and not __fish_seen_subcommand_from list approve deny help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l search -d 'Only requests whose user, resource, activity, note, ticket or status contain TEXT (and held statements whose SQL, requester, resource or activity do)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -s q -l ids -d 'Print only the full IDs, one per line (to pipe into `approval approve -`)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l note -d 'A note recorded with your approval (in the session and its log)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l statement -d 'Approve the session\'s statement held for review with this activity log entry (one session ID): it then runs once, through the broker' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -s y -l yes -d 'Decide on several requests (or `-`) without asking (needed off a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from approve" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l reason -d 'Why (required): recorded on the session and in its log, for the requester to read' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l statement -d 'Deny the session\'s statement held for review with this activity log entry (one session ID): it never runs, and the session goes on' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -s y -l yes -d 'Decide on several requests (or `-`) without asking (needed off a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from deny" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the requests waiting for your decision'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Approve requests waiting for your decision'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "deny" -d 'Deny requests waiting for your decision: they end as Denied, with your reason'
complete -c pamctl -n "__fish_pamctl_using_subcommand approval; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -f -a "list" -d 'List the live tokens (admins): who holds them, from where, until when'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -f -a "revoke" -d 'Revoke tokens (admins): by ID, or every token of a user'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and not __fish_seen_subcommand_from list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l user -d 'Only the tokens of this user or application' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l user -d 'Revoke every token of this user or application' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Do not ask (needed off a terminal)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the live tokens (admins): who holds them, from where, until when'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke tokens (admins): by ID, or every token of a user'
complete -c pamctl -n "__fish_pamctl_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -f -a "list" -d 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -f -a "verify" -d 'Check the audit trail\'s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l user -d 'Only what this account did (or the login a failed sign-in tried), any case' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l action -d 'Only this action (sign_in, session.end, refused…), or a family of them (session)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l since -d 'Only records from this time on' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l until -d 'Only records up to this time' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l session -d 'Only records about this session (its full ID)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l limit -d 'At most this many records (1 to 1000)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l database -d 'The database: a SQLite file (path or sqlite://PATH) or postgres://USER@HOST/DB' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l key -d 'The chain\'s key when the broker has `[audit] key`: file:PATH or env:NAME' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the audit trail\'s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1'
complete -c pamctl -n "__fish_pamctl_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -f -a "list" -d 'List the saved profiles; the current one is marked with *'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -f -a "use" -d 'Make a profile the current one, used by every command without --profile'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -f -a "show" -d 'Show a profile (default: the current one): server, user, TLS settings, token expiry'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and not __fish_seen_subcommand_from list use show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s q -l names -d 'Print only the names, one per line'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from use" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the saved profiles; the current one is marked with *'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "use" -d 'Make a profile the current one, used by every command without --profile'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a profile (default: the current one): server, user, TLS settings, token expiry'
complete -c pamctl -n "__fish_pamctl_using_subcommand profile; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l dir -d 'The directory to write the pages to (created if missing); without it, pamctl.1 is printed on stdout' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand hash-secret" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l dir -d 'The repository root to write completions/ and man/ under' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l server -d 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l token -d 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l profile -d 'Which saved login to use (default: the current one, set by the last login)' -r
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s o -l output -d 'Output format: a table fitted to the terminal, wide (every column, never shortened), or JSON' -r -f -a "table\t'A table; on a terminal, fitted to its width'
wide\t'A table with every column in full, however wide'
json\t''"
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l ca-cert -d 'TLS: trust this CA certificate (PEM) for the server' -r -F
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l no-color -d 'Plain output without colour; also when NO_COLOR is set to anything, and when stdout is not a terminal'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l utc -d 'Show times in UTC instead of local time on a terminal (off a terminal they are UTC)'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -l insecure -d 'TLS: do not verify the server\'s certificate (test servers with self-signed certificates)'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s v -l verbose -d 'Trace requests and responses on stderr (tokens and secrets masked)'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c pamctl -n "__fish_pamctl_using_subcommand generate-assets" -s V -l version -d 'Print version'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "server" -d 'Run the broker: the REST API, the session engine and its store'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "login" -d 'Sign in to a server and save the login as a profile'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "logout" -d 'Sign out: revoke the token and forget it'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "whoami" -d 'Show who the current token belongs to'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "activity" -d 'Activities you may request'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "resource" -d 'Managed resources (hosts, databases) you may request activities on'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "session" -d 'Activity sessions: request, list, wait for, extend, lock, end, and read their logs'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "approval" -d 'Approvals: list the requests waiting for your decision, approve or deny them'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "token" -d 'Bearer tokens (admins): list the live ones, revoke them by ID or by user'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "audit" -d 'The tamper-evident audit trail: list it (admins), verify its hash chain offline'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "profile" -d 'Saved logins: list them, pick the current one, show one'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "completions" -d 'Print a static shell completion script (see also `COMPLETE=bash pamctl`)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "man" -d 'Write the man pages (pamctl.1 and one per command) into a directory'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "hash-secret" -d 'Hash a password or API key (read from stdin) for the server\'s configuration file'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "generate-assets" -d 'Regenerate the committed completions/ and man/ (for developers)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and not __fish_seen_subcommand_from server login logout whoami activity resource session approval token audit profile completions man hash-secret generate-assets help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from activity" -f -a "list" -d 'List the activities you may request (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from resource" -f -a "list" -d 'List the resources you may request activities on (admins see all)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "create" -d 'Request an activity on one or more resources'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "list" -d 'List sessions: those not finished yet, or with --history all of them'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "show" -d 'Show one session in full'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "end" -d 'End sessions: before they are Available they become Cancelled, after it Canceling'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "lock" -d 'Lock sessions (admins): they stay active, but the user may not work in them'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "unlock" -d 'Unlock locked sessions (admins)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "extend" -d 'Move a session\'s end time later, where its policy allows extension'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "logs" -d 'Print a session\'s log: every transition, action run, lock, extension and end'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "resolve" -d 'Close a session whose end action keeps failing (admins only), once the access is gone'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "share" -d 'Let other users read a session: its details, log and activity log'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "wait" -d 'Wait until a session is available, logged in or complete'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "password" -d 'Print the password of your live database session (or copy it with --copy)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "connect" -d 'Open psql (or $PAMCTL_PSQL) on your live database session as its role'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "exec" -d 'Run a SQL statement in your live database session, as its role, and show the result'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "activity" -d 'Show a session\'s activity log: the statements run in it through the broker'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from session" -f -a "rerun" -d 'Run a statement of the activity log again in your live session'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "list" -d 'List the requests waiting for your decision'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "approve" -d 'Approve requests waiting for your decision'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from approval" -f -a "deny" -d 'Deny requests waiting for your decision: they end as Denied, with your reason'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "list" -d 'List the live tokens (admins): who holds them, from where, until when'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke tokens (admins): by ID, or every token of a user'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "list" -d 'List the audit trail, newest first: sign-ins, privileged actions and refusals (admins)'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the audit trail\'s hash chain offline, straight from the database: names the first edited, deleted or moved row and exits 1'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "list" -d 'List the saved profiles; the current one is marked with *'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "use" -d 'Make a profile the current one, used by every command without --profile'
complete -c pamctl -n "__fish_pamctl_using_subcommand help; and __fish_seen_subcommand_from profile" -f -a "show" -d 'Show a profile (default: the current one): server, user, TLS settings, token expiry'
