
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'pamctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'pamctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'pamctl' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run the broker: the REST API, the session engine and its store')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to a server and save the login as a profile')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke the token and forget it')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who the current token belongs to')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Activities you may request')
            [CompletionResult]::new('resource', 'resource', [CompletionResultType]::ParameterValue, 'Managed resources (hosts, databases) you may request activities on')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('hash-secret', 'hash-secret', [CompletionResultType]::ParameterValue, 'Hash a password or API key (read from stdin) for the server''s configuration file')
            [CompletionResult]::new('generate-assets', 'generate-assets', [CompletionResultType]::ParameterValue, 'Regenerate the committed completions/ and man/ (for developers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;server' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on (port 0 picks a free port)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Where the database and dev files live (default: the XDG data dir, ~/.local/share/pamctl)')
            [CompletionResult]::new('--database', '--database', [CompletionResultType]::ParameterName, 'Database URL, sqlite://PATH (default: pamctl.db in the data dir)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file: users, applications, activities, resources, policies (see examples/pamctl.toml)')
            [CompletionResult]::new('--log-format', '--log-format', [CompletionResultType]::ParameterName, 'Log format on stderr')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'Serve HTTPS with this certificate chain (PEM)')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'The private key (PEM) for --tls-cert')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--dev', '--dev', [CompletionResultType]::ParameterName, 'Seed demo data and sign the local CLI in as admin (profile ''dev'')')
            [CompletionResult]::new('--allow-plain-http', '--allow-plain-http', [CompletionResultType]::ParameterName, 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;login' {
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The user (or application) name; asked for on a terminal when missing')
            [CompletionResult]::new('--mfa-code', '--mfa-code', [CompletionResultType]::ParameterName, 'The current code from your authenticator app, for accounts with MFA')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from stdin (one line) instead of asking for it')
            [CompletionResult]::new('--api-key-stdin', '--api-key-stdin', [CompletionResultType]::ParameterName, 'Sign in as an application: read its API key from stdin')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;logout' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;whoami' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;activity' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the activities you may request (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;activity;list' {
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only activities whose name, description or platform contains TEXT (any case)')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;activity;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the activities you may request (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;activity;help;list' {
            break
        }
        'pamctl;activity;help;help' {
            break
        }
        'pamctl;resource' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the resources you may request activities on (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;resource;list' {
            [CompletionResult]::new('--activity', '--activity', [CompletionResultType]::ParameterName, 'Only the resources this activity (name or id) may be requested on')
            [CompletionResult]::new('--search', '--search', [CompletionResultType]::ParameterName, 'Only resources whose name, display name, platform or address contains TEXT')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;resource;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the resources you may request activities on (admins see all)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;resource;help;list' {
            break
        }
        'pamctl;resource;help;help' {
            break
        }
        'pamctl;completions' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;hash-secret' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;generate-assets' {
            [CompletionResult]::new('--dir', '--dir', [CompletionResultType]::ParameterName, 'The repository root to write completions/ and man/ under')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'The broker (pamctl or Privilege Secure), e.g. http://127.0.0.1:6500')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token, or file:PATH or env:NAME to read it from there; beats the profile')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Which saved login to use (default: the current one, set by the last login)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'TLS: trust this CA certificate (PEM) for the server')
            [CompletionResult]::new('--no-color', '--no-color', [CompletionResultType]::ParameterName, 'Plain output without colour (automatic when stdout is not a terminal)')
            [CompletionResult]::new('--insecure', '--insecure', [CompletionResultType]::ParameterName, 'TLS: do not verify the server''s certificate (test servers with self-signed certificates)')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Trace requests and responses on stderr (tokens and secrets masked)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'pamctl;help' {
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Run the broker: the REST API, the session engine and its store')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to a server and save the login as a profile')
            [CompletionResult]::new('logout', 'logout', [CompletionResultType]::ParameterValue, 'Sign out: revoke the token and forget it')
            [CompletionResult]::new('whoami', 'whoami', [CompletionResultType]::ParameterValue, 'Show who the current token belongs to')
            [CompletionResult]::new('activity', 'activity', [CompletionResultType]::ParameterValue, 'Activities you may request')
            [CompletionResult]::new('resource', 'resource', [CompletionResultType]::ParameterValue, 'Managed resources (hosts, databases) you may request activities on')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('hash-secret', 'hash-secret', [CompletionResultType]::ParameterValue, 'Hash a password or API key (read from stdin) for the server''s configuration file')
            [CompletionResult]::new('generate-assets', 'generate-assets', [CompletionResultType]::ParameterValue, 'Regenerate the committed completions/ and man/ (for developers)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'pamctl;help;server' {
            break
        }
        'pamctl;help;login' {
            break
        }
        'pamctl;help;logout' {
            break
        }
        'pamctl;help;whoami' {
            break
        }
        'pamctl;help;activity' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the activities you may request (admins see all)')
            break
        }
        'pamctl;help;activity;list' {
            break
        }
        'pamctl;help;resource' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the resources you may request activities on (admins see all)')
            break
        }
        'pamctl;help;resource;list' {
            break
        }
        'pamctl;help;completions' {
            break
        }
        'pamctl;help;hash-secret' {
            break
        }
        'pamctl;help;generate-assets' {
            break
        }
        'pamctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
