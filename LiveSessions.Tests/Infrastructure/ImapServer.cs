using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace LiveSessions.Tests.Infrastructure;

/// <summary>
/// A private IMAP server for one test class: Debian's Dovecot on a free loopback port, with a temporary config, one
/// mailbox (the app's reply mailbox) in a temporary maildir, stopped and deleted when disposed. Mail "arrives" by an
/// IMAP APPEND, as a delivery agent would put it there.
/// </summary>
public sealed class ImapServer : IDisposable
{
    public const string UserName = "replies";
    public const string Password = "replies-password";
    private const string Dovecot = "/usr/sbin/dovecot";

    private readonly Process process;
    private readonly string root;

    private ImapServer(Process process, string root, int port)
    {
        this.process = process;
        this.root = root;
        Port = port;
    }

    public int Port { get; }

    public string Host => "127.0.0.1";

    /// <summary>The settings the app needs to read this mailbox.</summary>
    public string[] AppSettings(string address) =>
    [
        $"Imap:Host={Host}", $"Imap:Port={Port}", "Imap:UseTls=false", $"Imap:UserName={UserName}", $"Imap:Password={Password}", $"Imap:Address={address}",
    ];

    public static async Task<ImapServer> StartAsync()
    {
        if (!File.Exists(Dovecot))
        {
            throw new InvalidOperationException("Dovecot is not installed: run the test command of README.md (it installs Debian's dovecot-imapd).");
        }

        // Dovecot's login processes run as its own unprivileged user and must reach the run folder inside this one.
        var root = Path.Combine(Path.GetTempPath(), "livesessions-imap-" + Guid.NewGuid().ToString("N"));
        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("The IMAP tests run Debian's Dovecot.");
        }

        Directory.CreateDirectory(root);
        File.SetUnixFileMode(root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var mail = Directory.CreateDirectory(Path.Combine(root, "mail")).FullName;
        await File.WriteAllTextAsync(Path.Combine(root, "users"), $"{UserName}:{{PLAIN}}{Password}\n");

        // Dovecot never gives mail to uid 0: as root, the mailbox belongs to the dovecot user; otherwise to whoever runs the tests.
        var asRoot = Environment.UserName == "root";
        var (uid, gid) = asRoot ? SystemUser("dovecot") : (Id("-u"), Id("-g"));
        var (loginUser, internalUser) = asRoot ? ("dovenull", "dovecot") : (Environment.UserName, Environment.UserName);
        if (asRoot)
        {
            await RunAsync("chown", $"{uid}:{gid}", mail);
        }

        var port = FreePort();
        var config = Path.Combine(root, "dovecot.conf");
        await File.WriteAllTextAsync(config, $$"""
            protocols = imap
            listen = 127.0.0.1
            base_dir = {{root}}/run
            state_dir = {{root}}/state
            log_path = /dev/stderr
            ssl = no
            disable_plaintext_auth = no
            auth_mechanisms = plain login
            mail_location = maildir:{{mail}}/%u
            first_valid_uid = {{uid}}
            first_valid_gid = {{gid}}
            default_login_user = {{loginUser}}
            default_internal_user = {{internalUser}}
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{root}}/users
            }
            userdb {
              driver = static
              args = uid={{uid}} gid={{gid}} home={{mail}}/%u
            }
            service imap-login {
              inet_listener imap {
                address = 127.0.0.1
                port = {{port}}
              }
              inet_listener imaps {
                port = 0
              }
            }
            """);

        var start = new ProcessStartInfo(Dovecot) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-F");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(config);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        DataReceivedEventHandler read = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            output.Enqueue(e.Data);

            // The master logs this once its listeners are bound.
            if (e.Data.Contains("starting up", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        };
        process.OutputDataReceived += read;
        process.ErrorDataReceived += read;
        process.Exited += (_, _) => ready.TrySetException(new InvalidOperationException("Dovecot exited before it was ready: " + string.Join(" | ", output)));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await ready.Task.WaitAsync(Patience.Ceiling);
        return new ImapServer(process, root, port);
    }

    /// <summary>Puts a message in the mailbox's INBOX, unread.</summary>
    public async Task DeliverAsync(MimeMessage message)
    {
        using var client = await ConnectAsync();
        await client.Inbox.AppendAsync(message, MessageFlags.None);
        await client.DisconnectAsync(true);
    }

    /// <summary>How many messages of the INBOX are still unread.</summary>
    public async Task<int> UnreadAsync()
    {
        using var client = await ConnectAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var unread = await client.Inbox.SearchAsync(SearchQuery.NotSeen);
        await client.DisconnectAsync(true);
        return unread.Count;
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
        }

        process.Dispose();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // A child's last file handle; the temp folder is cleaned by the OS.
        }
        catch (UnauthorizedAccessException)
        {
            // Files Dovecot made for its own users; the temp folder is cleaned by the OS.
        }
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var client = new ImapClient();
        await client.ConnectAsync(Host, Port, SecureSocketOptions.None);
        await client.AuthenticateAsync(UserName, Password);
        return client;
    }

    private static (int Uid, int Gid) SystemUser(string name)
    {
        var line = File.ReadLines("/etc/passwd").FirstOrDefault(l => l.StartsWith(name + ":", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"The {name} user is missing: is dovecot-imapd installed?");
        var fields = line.Split(':');
        return (int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture), int.Parse(fields[3], System.Globalization.CultureInfo.InvariantCulture));
    }

    private static int Id(string flag)
    {
        using var id = Process.Start(new ProcessStartInfo("id", flag) { RedirectStandardOutput = true, UseShellExecute = false })!;
        var text = id.StandardOutput.ReadToEnd();
        id.WaitForExit();
        return int.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task RunAsync(string command, params string[] arguments)
    {
        var start = new ProcessStartInfo(command) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var run = Process.Start(start)!;
        await run.WaitForExitAsync();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', arguments)} failed with {run.ExitCode}.");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
