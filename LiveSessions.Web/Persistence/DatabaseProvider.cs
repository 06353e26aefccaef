namespace LiveSessions.Web.Persistence;

/// <summary>Which database engine the app runs on: <c>Database:Provider</c> (env <c>Database__Provider</c>).</summary>
public enum DatabaseProvider
{
    /// <summary>One file in the data folder: the embedded default for one node.</summary>
    Sqlite,

    /// <summary>A PostgreSQL server from <c>ConnectionStrings:LiveSessions</c>: for several nodes.</summary>
    PostgreSql,
}

public static class DatabaseProviders
{
    extension(DatabaseProvider)
    {
        public static DatabaseProvider From(IConfiguration configuration)
        {
            var configured = configuration["Database:Provider"];
            if (string.IsNullOrWhiteSpace(configured))
            {
                return DatabaseProvider.Sqlite;
            }

            return Enum.TryParse<DatabaseProvider>(configured, ignoreCase: true, out var provider)
                ? provider
                : throw new InvalidOperationException($"Database:Provider must be Sqlite or PostgreSql, not {configured}.");
        }
    }
}
