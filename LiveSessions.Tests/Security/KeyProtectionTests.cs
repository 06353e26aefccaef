using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using LiveSessions.Tests.Infrastructure;

namespace LiveSessions.Tests.Security;

/// <summary>With DataProtection:CertificatePath set, the keys that sign cookies, tokens and links are stored encrypted.</summary>
public sealed class KeyProtectionTests : IClassFixture<KeyProtectionTests.CertificateApp>
{
    private readonly CertificateApp app;

    public KeyProtectionTests(CertificateApp app) => this.app = app;

    [Fact]
    public async Task Keys_on_disk_are_encrypted_with_the_configured_certificate_and_sign_in_still_works()
    {
        using var admin = await app.AdminAsync();
        Assert.Equal(System.Net.HttpStatusCode.OK, (await admin.GetAsync("/api/sessions", TestContext.Current.CancellationToken)).StatusCode);

        var keys = Directory.GetFiles(Path.Combine(app.DataDirectory, "keys"), "key-*.xml");
        Assert.NotEmpty(keys);
        foreach (var key in keys)
        {
            var xml = await File.ReadAllTextAsync(key, TestContext.Current.CancellationToken);
            Assert.Contains("EncryptedData", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<value>", xml, StringComparison.Ordinal);
        }
    }

    /// <summary>The app with a self-signed certificate for its keys, made for the test.</summary>
    public sealed class CertificateApp : AppFixture
    {
        private readonly string certificate = Path.Combine(Path.GetTempPath(), $"livesessions-keys-{Guid.NewGuid():N}.pfx");

        public CertificateApp()
        {
            using var rsa = RSA.Create(2048);
            var request = new CertificateRequest("CN=LiveSessions keys (test)", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            File.WriteAllBytes(certificate, made.Export(X509ContentType.Pfx, "test-password"));
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            File.Delete(certificate);
        }

        protected override IEnumerable<(string Key, string Value)> ExtraSettings() =>
        [
            ("DataProtection:CertificatePath", certificate),
            ("DataProtection:CertificatePassword", "test-password"),
        ];
    }
}
