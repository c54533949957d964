using L4Re.Regulatory.Dfs;
using L4Re.Regulatory.Rules;

namespace L4Re.Regulatory.Tests;

public class DfsTests
{
    private static (DfsStateMachine Dfs, ManualClock Clock) Create(string country)
    {
        var clock = new ManualClock();
        var table = new ChannelTable(TestDomains.Country(country),
            ChannelNumbering.StandardChannels(Band.Band5GHz).Concat(ChannelNumbering.StandardChannels(Band.Band2GHz)));
        return (new DfsStateMachine(table, clock), clock);
    }

    private static ChannelDefinition Chan(int mhz, int width = 20)
    {
        Assert.That(ChannelDefinition.TryCreate((uint)mhz * 1000, width, 0, out var d), Is.True);
        return d;
    }

    [Test]
    public void Radar_channels_start_usable_and_CAC_takes_60_seconds()
    {
        var (dfs, clock) = Create("US");
        Assert.That(dfs.StateOf(5_260_000), Is.EqualTo(DfsState.Usable));
        Assert.That(dfs.StartCac(Chan(5260)), Is.EqualTo(CacStartResult.Started));
        clock.Advance(TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(1));
        Assert.That(dfs.StateOf(5_260_000), Is.EqualTo(DfsState.Usable));
        Assert.That(dfs.IsCacRunning, Is.True);
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.That(dfs.StateOf(5_260_000), Is.EqualTo(DfsState.Available));
        Assert.That(dfs.IsCacRunning, Is.False);
    }

    [Test]
    public void ETSI_weather_radar_channels_need_10_minutes()
    {
        var (dfs, clock) = Create("DE");
        Assert.That(dfs.StartCac(Chan(5600)), Is.EqualTo(CacStartResult.Started));
        Assert.That(dfs.CacEndsAt, Is.EqualTo(TimeSpan.FromMinutes(10)));
        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.That(dfs.StateOf(5_600_000), Is.EqualTo(DfsState.Usable));
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.That(dfs.StateOf(5_600_000), Is.EqualTo(DfsState.Available));
        // Channels 116 and 132 are outside 5600-5650 MHz.
        var (de2, _) = Create("DE");
        de2.StartCac(Chan(5580));
        Assert.That(de2.CacEndsAt, Is.EqualTo(TimeSpan.FromSeconds(60)));
        // An 80 MHz channel containing 120-128 needs the longest CAC of its subchannels.
        var (de3, _) = Create("DE");
        de3.StartCac(Chan(5580, 80));
        Assert.That(de3.CacEndsAt, Is.EqualTo(TimeSpan.FromMinutes(10)));
        // FCC has no weather-radar CAC.
        var (us, _) = Create("US");
        us.StartCac(Chan(5600));
        Assert.That(us.CacEndsAt, Is.EqualTo(TimeSpan.FromSeconds(60)));
    }

    [Test]
    public void Radar_blocks_for_30_minutes_then_the_channel_is_usable_again()
    {
        var (dfs, clock) = Create("DE");
        var events = new List<DfsEvent>();
        dfs.Changed += events.Add;
        dfs.StartCac(Chan(5500));
        clock.Advance(TimeSpan.FromSeconds(60));
        dfs.SetOperating(Chan(5500));
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.That(dfs.RadarDetected(Chan(5500)), Is.EqualTo(1));
        Assert.That(dfs.StateOf(5_500_000), Is.EqualTo(DfsState.Unavailable));
        Assert.That(dfs.MustVacate, Is.True);
        Assert.That(dfs.VacateDeadline, Is.EqualTo(TimeSpan.FromMinutes(6) + TimeSpan.FromSeconds(10)));
        Assert.That(dfs.StartCac(Chan(5500)), Is.EqualTo(CacStartResult.Unavailable));
        clock.Advance(TimeSpan.FromMinutes(30) - TimeSpan.FromTicks(1));
        Assert.That(dfs.StateOf(5_500_000), Is.EqualTo(DfsState.Unavailable));
        clock.Advance(TimeSpan.FromTicks(1));
        Assert.That(dfs.StateOf(5_500_000), Is.EqualTo(DfsState.Usable));
        Assert.That(events.Select(e => e.Kind), Is.EqualTo(new[]
        {
            DfsEventKind.CacStarted, DfsEventKind.CacFinished, DfsEventKind.RadarDetected, DfsEventKind.NopFinished,
        }));
        Assert.That(events[^1].At, Is.EqualTo(TimeSpan.FromMinutes(36)));
    }

    [Test]
    public void Radar_during_CAC_aborts_it()
    {
        var (dfs, clock) = Create("US");
        dfs.StartCac(Chan(5300, 80));
        clock.Advance(TimeSpan.FromSeconds(30));
        dfs.RadarDetected(Chan(5280));
        Assert.That(dfs.IsCacRunning, Is.False);
        clock.Advance(TimeSpan.FromSeconds(60));
        Assert.That(dfs.StateOf(5_260_000), Is.EqualTo(DfsState.Usable));
        Assert.That(dfs.StateOf(5_280_000), Is.EqualTo(DfsState.Unavailable));
    }

    [Test]
    public void Outside_ETSI_an_unused_available_channel_expires_after_2_seconds()
    {
        var (us, clock) = Create("US");
        us.StartCac(Chan(5260));
        clock.Advance(TimeSpan.FromSeconds(61));
        Assert.That(us.StateOf(5_260_000), Is.EqualTo(DfsState.Available));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.That(us.StateOf(5_260_000), Is.EqualTo(DfsState.Usable));

        var (de, deClock) = Create("DE");
        de.StartCac(Chan(5260));
        deClock.Advance(TimeSpan.FromHours(5));
        Assert.That(de.StateOf(5_260_000), Is.EqualTo(DfsState.Available), "ETSI allows pre-CAC");
    }

    [Test]
    public void An_operating_channel_does_not_expire()
    {
        var (us, clock) = Create("US");
        us.StartCac(Chan(5260, 40));
        clock.Advance(TimeSpan.FromSeconds(60));
        us.SetOperating(Chan(5260, 40));
        clock.Advance(TimeSpan.FromHours(1));
        Assert.That(us.StateOf(5_260_000), Is.EqualTo(DfsState.Available));
        Assert.That(us.StateOf(5_280_000), Is.EqualTo(DfsState.Available));
        us.ClearOperating();
        Assert.That(us.StateOf(5_260_000), Is.EqualTo(DfsState.Usable));
    }

    [Test]
    public void CAC_start_checks_like_nl80211()
    {
        var (us, clock) = Create("US");
        Assert.That(us.StartCac(Chan(5180)), Is.EqualTo(CacStartResult.NotRequired));
        Assert.That(us.StartCac(Chan(5260)), Is.EqualTo(CacStartResult.Started));
        Assert.That(us.StartCac(Chan(5500)), Is.EqualTo(CacStartResult.Busy));
        clock.Advance(TimeSpan.FromSeconds(60));
        us.SetOperating(Chan(5260));
        Assert.That(us.StartCac(Chan(5260)), Is.EqualTo(CacStartResult.AlreadyAvailable));
        Assert.That(ChannelDefinition.TryCreate(5_340_000, 20, 0, out var notARadioChannel), Is.True);
        Assert.That(us.StartCac(notARadioChannel), Is.EqualTo(CacStartResult.InvalidChannel));
        // 160 MHz channel 50 mixes non-DFS 36-48 with DFS 52-64.
        Assert.That(us.StartCac(Chan(5180, 160)), Is.EqualTo(CacStartResult.Started));
    }

    [Test]
    public void A_domain_change_resets_every_channel()
    {
        var (dfs, clock) = Create("DE");
        dfs.StartCac(Chan(5500));
        clock.Advance(TimeSpan.FromSeconds(60));
        dfs.RadarDetected(Chan(5520));
        dfs.StartCac(Chan(5260));
        dfs.Reset(new ChannelTable(TestDomains.Country("FR"), ChannelNumbering.StandardChannels(Band.Band5GHz)));
        Assert.That(dfs.IsCacRunning, Is.False);
        Assert.That(dfs.StateOf(5_500_000), Is.EqualTo(DfsState.Usable));
        Assert.That(dfs.StateOf(5_520_000), Is.EqualTo(DfsState.Usable));
        Assert.That(dfs.Channels.Domain.Alpha2, Is.EqualTo("FR"));
    }

    [Test]
    public void Virtual_time_never_goes_backwards() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new ManualClock().Advance(TimeSpan.FromSeconds(-1)));
}
