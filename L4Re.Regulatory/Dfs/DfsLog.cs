using Microsoft.Extensions.Logging;

namespace L4Re.Regulatory.Dfs;

/// <summary>Log messages of the DFS state machine.</summary>
internal static partial class DfsLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "DFS {Kind} on {ChannelMhz} MHz at {At}")]
    public static partial void Transition(ILogger logger, DfsEventKind kind, double channelMhz, TimeSpan at);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "DFS CAC on {Channel} started at {At}, lasts {Duration}")]
    public static partial void CacStarted(ILogger logger, string channel, TimeSpan at, TimeSpan duration);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "DFS CAC on {Channel} refused: {Result}")]
    public static partial void CacRefused(ILogger logger, string channel, CacStartResult result);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "Radar on {Channel} at {At}: {Count} channels unavailable for {Nop}; leave within {MoveTime}")]
    public static partial void Radar(ILogger logger, string channel, TimeSpan at, int count, TimeSpan nop, TimeSpan moveTime);
}
