using LiveSessions.Tests.Infrastructure;
using LiveSessions.Web.Features.Email;

namespace LiveSessions.Tests.Email;

[Collection(AppCollection.Name)]
public sealed class PublicUrlsTests(AppFixture app)
{
    [Fact]
    public void Without_a_public_base_url_links_follow_the_address_the_app_listens_on()
    {
        // The shared app listens on a port the OS chose and sets no LiveSessions:PublicBaseUrl.
        var links = new Uri(app.Get<PublicUrls>().Link("token"));
        Assert.Equal((app.BaseAddress.Scheme, app.BaseAddress.Port, "/l/token"), (links.Scheme, links.Port, links.AbsolutePath));
        Assert.Contains(links.Host, new[] { "localhost", "127.0.0.1", app.BaseAddress.Host });
    }
}
