using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LiveSessions.Web.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CalendarReplies : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "CalendarUid",
                table: "SessionLearners",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            // Learners who may already hold an event keep the UID it was sent with, so updates and cancellations still
            // reach it; learners added from now on get a random one.
            migrationBuilder.Sql("UPDATE \"SessionLearners\" SET \"CalendarUid\" = 'session-' || CAST(\"SessionId\" AS TEXT) || '-learner-' || CAST(\"Id\" AS TEXT) || '@livesessions'");

            migrationBuilder.CreateTable(
                name: "CalendarReplies",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    MessageKey = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    ReceivedAt = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    Source = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    From = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Subject = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    Uid = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Attendee = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: true),
                    Answer = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: true),
                    Sequence = table.Column<int>(type: "integer", nullable: true),
                    SessionId = table.Column<int>(type: "integer", nullable: true),
                    LearnerId = table.Column<int>(type: "integer", nullable: true),
                    Outcome = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Detail = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CalendarReplies", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_SessionLearners_CalendarUid",
                table: "SessionLearners",
                column: "CalendarUid",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalendarReplies_MessageKey",
                table: "CalendarReplies",
                column: "MessageKey",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_CalendarReplies_ReceivedAt",
                table: "CalendarReplies",
                column: "ReceivedAt");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CalendarReplies");

            migrationBuilder.DropIndex(
                name: "IX_SessionLearners_CalendarUid",
                table: "SessionLearners");

            migrationBuilder.DropColumn(
                name: "CalendarUid",
                table: "SessionLearners");
        }
    }
}
