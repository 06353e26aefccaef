using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace LiveSessions.Web.Persistence.Migrations.PostgreSql
{
    /// <inheritdoc />
    public partial class CalendarSequencePerLearner : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "CalendarSequence",
                table: "SessionLearners",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "CalendarSequence",
                table: "Outbox",
                type: "integer",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "CalendarSequence",
                table: "SessionLearners");

            migrationBuilder.DropColumn(
                name: "CalendarSequence",
                table: "Outbox");
        }
    }
}
